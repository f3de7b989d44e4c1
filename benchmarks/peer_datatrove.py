"""The peer: the same job as a team would build it from datatrove (HuggingFace's data-processing
library), run by benchmarks/run.py beside docclean on the same corpus, in one process.

    pip install -e '.[bench]'        # datatrove
    python benchmarks/peer_datatrove.py RAW OUT

What it does per file, with datatrove's own steps where it has them:
  - read and decode (a reader of raw text files: datatrove's readers take JSONL, Parquet, CSV
    or WARC, so this one is written here, decoding as the floor does: UTF-8, else chardet);
  - C4QualityFilter as a line filter (C4's line rules: too-long words, citations, javascript,
    policy lines; its English-only checks, terminal ASCII punctuation, words per line and
    sentences per document, are switched off: they would drop every Chinese line);
  - ParquetWriter.
(GopherRepetitionFilter, the next step one would add, needs spaCy with jieba for Chinese words:
left out, so the peer stays light.)
It cleans much less than docclean (no site vocabulary, no structure, no audit trail), so it is a
lower bound on what a cleaning pipeline costs, not an equal.
"""

from __future__ import annotations

import sys
from pathlib import Path

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import C4QualityFilter
from datatrove.pipeline.readers.base import BaseDiskReader
from datatrove.pipeline.writers import ParquetWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import decode  # noqa: E402  (the floor's decoding: benchmarks/run.py)


class RawTextReader(BaseDiskReader):
    """Every file of the folder is one document (datatrove has no reader for loose text files)."""

    name = "raw text"

    def read_file(self, filepath: str):
        with self.data_folder.open(filepath, "rb") as fh:
            yield Document(text=decode(fh.read()), id=filepath, metadata={})


def run(raw: str, out: str, logs: str) -> None:
    LocalPipelineExecutor(
        pipeline=[
            RawTextReader(raw, recursive=True),
            C4QualityFilter(filter_no_terminal_punct=False, min_words_per_line=-1, min_num_sentences=-1,
                            filter_curly_bracket=False, filter_lorem_ipsum=False),
            ParquetWriter(out),
        ],
        tasks=1, workers=1, logging_dir=logs,
    ).run()


if __name__ == "__main__":
    raw_dir, out_dir = sys.argv[1:3]
    run(raw_dir, out_dir, str(Path(out_dir).with_name(Path(out_dir).name + "-logs")))
