"""Static files as production and the demo serve them: hashed names, gzip and brotli copies, compressed once.

WhiteNoise's ``CompressedManifestStaticFilesStorage`` compresses every file again on every ``collectstatic``,
and `arms setup` runs it on every deploy and every `make demo`. Two changes make that cheap:

- A hashed name changes with the content, so a hashed file whose compressed copy exists is already done: only
  new hashed files are compressed. Only hashed files are kept (WHITENOISE_KEEP_ONLY_HASHED_FILES in the settings),
  since every page names static files through ``{% static %}``, which gives the hashed name.
- Brotli at quality 9 instead of 11: measured on ARMS's 10 MB of CSS and JavaScript (mostly the API docs' Swagger
  and ReDoc bundles), 3 s of CPU instead of 27 s, for files 9% larger (2.6 MB instead of 2.4 MB in all).
"""

from __future__ import annotations

import os

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

BROTLI_QUALITY = 9


class FasterCompressor(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return brotli.compress(data, quality=BROTLI_QUALITY)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs) -> Compressor:
        return FasterCompressor(**kwargs)

    def compress_files(self, paths):
        yield from super().compress_files([path for path in paths if not self._compressed_already(path)])

    def _compressed_already(self, path: str) -> bool:
        hashed = path in self.hashed_files.values()
        return hashed and os.path.exists(self.path(path) + ".gz")
