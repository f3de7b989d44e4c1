"""Load what decoding needs at import, in the worker pool's forkserver (see pool.py): every
worker it forks then shares chardet's models instead of reading its own copy."""

from docclean.input import decoding

decoding.warm()
