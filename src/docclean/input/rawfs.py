"""The input folder: a local path, or any fsspec URL (s3://bucket/raw, gcs://…, memory://…).

Everything that reads raw/ goes through :class:`RawFolder`, so where the files live
is decided in one place. Local paths use plain os calls (the common case, and the
fastest); a URL goes through fsspec, which Prefect already depends on. Remote
protocols need their own package (s3fs for s3://, gcsfs for gcs://), installed
next to docclean, and credentials the usual way for that store (environment,
config files). processed/ stays a local folder: the store relies on atomic
renames and a lock file, which object stores do not offer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def is_url(location: str | os.PathLike) -> bool:
    return "://" in str(location)


class RawFolder:
    def __init__(self, location: str | os.PathLike):
        self.location = str(location)
        if is_url(self.location):
            import fsspec

            try:
                self.fs, root = fsspec.core.url_to_fs(self.location)
            except (ImportError, ValueError) as exc:  # no package for the protocol, or no such protocol
                raise OSError(f"cannot open raw folder {self.location}: {exc}") from exc
            self.root = root.rstrip("/")
        else:
            self.fs, self.root = None, self.location

    def __str__(self) -> str:
        return self.location

    def check(self) -> None:
        """Raise FileNotFoundError when the folder is missing, OSError carrying the store's
        own error when it cannot be reached (credentials, network): never a silent "missing"."""
        if self.fs is None:
            if Path(self.root).is_file():
                raise NotADirectoryError(f"--raw is a file, not a folder: {self.location}")
            ok = Path(self.root).is_dir()
        else:
            try:
                ok = self.fs.isdir(self.root)
            except Exception as exc:
                raise OSError(f"cannot reach raw folder {self.location}: {type(exc).__name__}: {exc}") from exc
        if not ok:
            raise FileNotFoundError(f"raw folder not found: {self.location}")

    def list(self) -> list[str]:
        """Files under the folder as sorted POSIX paths relative to it; dot-files and
        dot-folders skipped."""
        return list(self.scan())

    def scan(self) -> dict[str, str | None]:
        """The files of :meth:`list`, each with a change stamp where hashing would mean
        downloading (URLs): the size and the store's ETag or checksum, else its modification
        time, from the listing itself (one request per page of files, not per file). A file
        whose stamp is unchanged since the last run is not hashed. Local files get None:
        hashing them is cheap, and exact where times are not."""
        found: dict[str, str | None] = {}
        if self.fs is None:
            def unreadable(exc: OSError) -> None:
                # A folder that cannot be listed is reported, not skipped: it is listed as
                # "folder/", whose read fails, so it becomes a quarantined entry with the reason.
                if exc.filename and Path(exc.filename) != Path(self.root):
                    found[Path(exc.filename).relative_to(self.root).as_posix() + "/"] = None

            for root, dirs, files in os.walk(self.root, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.update((Path(root, name).relative_to(self.root).as_posix(), None)
                             for name in files if not name.startswith("."))
        else:
            prefix = self.root + "/"
            for path, info in self.fs.find(self.root, detail=True).items():
                rel = path[len(prefix):] if path.startswith(prefix) else path
                if rel and not any(part.startswith(".") for part in rel.split("/")):
                    found[rel] = _stamp(info)
        return dict(sorted(found.items()))

    def read(self, source: str) -> bytes:
        """The file's bytes; OSError (or the store's own error) when it cannot be read."""
        if self.fs is None:
            return Path(self.root, source).read_bytes()
        return self.fs.cat_file(f"{self.root}/{source}")

    def has(self, source: str) -> bool:
        if self.fs is None:
            return Path(self.root, source).exists()
        return self.fs.exists(f"{self.root}/{source}")

    def sha256(self, source: str) -> str:
        """Content hash, streamed; "" when unreadable (always "changed": the batch records why)."""
        h = hashlib.sha256()
        try:
            if self.fs is None:
                fh = open(Path(self.root, source), "rb")
            else:
                fh = self.fs.open(f"{self.root}/{source}", "rb")
            with fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except Exception:
            return ""
        return h.hexdigest()


# Listing fields that change when an object's content does, best first: content
# checksums (S3 and Azure ETag, GCS md5Hash/crc32c), then modification times.
_STAMP_KEYS = ("ETag", "etag", "md5Hash", "crc32c", "checksum", "mtime", "LastModified",
               "last_modified", "updated", "modified", "created")


def _stamp(info: dict) -> str | None:
    for key in _STAMP_KEYS:
        value = info.get(key)
        if value not in (None, ""):
            return f"{info.get('size')}:{key}={value}"
    return None  # the store says nothing that changes with the content: always hash
