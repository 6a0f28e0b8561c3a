"""Static files as production and the demo serve them: hashed names, gzip and brotli copies, compressed once.

WhiteNoise's ``CompressedManifestStaticFilesStorage`` compresses every file again on every ``collectstatic``,
about a minute of CPU for the API docs' Swagger and ReDoc bundles alone, and `arms setup` runs on every deploy
and every `make demo`. A hashed name changes with the content, so a hashed file whose compressed copies exist is
already done: only new hashed files are compressed. Only hashed files are kept (WHITENOISE_KEEP_ONLY_HASHED_FILES
in the settings), since every page names static files through ``{% static %}``, which gives the hashed name.
"""

from __future__ import annotations

import os

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def compress_files(self, paths):
        yield from super().compress_files([path for path in paths if not self._compressed_already(path)])

    def _compressed_already(self, path: str) -> bool:
        hashed = path in self.hashed_files.values()
        return hashed and os.path.exists(self.path(path) + ".gz")
