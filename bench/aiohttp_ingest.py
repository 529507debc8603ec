"""The durable webhook intake a minimal Python bot would have: the reference for bench/aiohttp_ingest.sh.

POST /telegram/webhook: checks X-Telegram-Bot-Api-Secret-Token in constant time (401), parses the
JSON update (400 unless an object with an integer update_id), inserts it into SQLite (WAL,
synchronous=FULL, one transaction per update, update_id unique so a redelivery is ignored) and only
then answers 200. SQLite runs on one writer thread, as aiosqlite would, so the event loop keeps
serving other connections during a commit. GET /healthz answers 200.

Usage: INGEST_SECRET=<secret> /usr/bin/python3 bench/aiohttp_ingest.py <port> <sqlite-file>
Needs only the standard library and Debian's python3-aiohttp.
"""

import asyncio
import hmac
import json
import os
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
  update_id INTEGER PRIMARY KEY,
  chat_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT
"""


class Inbox:
    """One SQLite connection, used only by its own writer thread."""

    def __init__(self, path):
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("PRAGMA busy_timeout = 5000")
        self.db.execute(SCHEMA)
        self.writer = ThreadPoolExecutor(max_workers=1)

    def _insert(self, update_id, chat_key, kind, payload):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute(
                "INSERT INTO inbox (update_id, chat_key, kind, payload_json, received_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING",
                (update_id, chat_key, kind, payload, int(time.time() * 1000)))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    async def insert(self, *row):
        await asyncio.get_running_loop().run_in_executor(self.writer, self._insert, *row)


def make_app(secret, inbox):
    async def webhook(request):
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret):
            return web.Response(status=401)
        try:
            body = await request.text()  # invalid UTF-8 raises a ValueError too
            update = json.loads(body)
            update_id = update["update_id"]
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                raise ValueError("update_id")
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400)
        kind = next((k for k in update if k != "update_id"), "unknown")
        content = update.get(kind)
        chat = content.get("chat") if isinstance(content, dict) else None
        chat_key = str(chat.get("id")) if isinstance(chat, dict) else "none"
        await inbox.insert(update_id, chat_key, kind, body)
        return web.Response()

    async def healthz(request):
        return web.json_response({"ok": True})

    app = web.Application(client_max_size=10 * 1024 * 1024)
    app.router.add_post("/telegram/webhook", webhook)
    app.router.add_get("/healthz", healthz)
    return app


def main():
    if len(sys.argv) != 3 or not os.environ.get("INGEST_SECRET"):
        sys.exit("usage: INGEST_SECRET=<secret> aiohttp_ingest.py <port> <sqlite-file>")
    port, path = int(sys.argv[1]), sys.argv[2]
    app = make_app(os.environ["INGEST_SECRET"].encode(), Inbox(path))
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
