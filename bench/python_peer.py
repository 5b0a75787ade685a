#!/usr/bin/env python3
"""The Python peer of `trialmill load`: /api/v2/studies pages (one per line on stdin, as
trialmill-gen-corpus writes them) into a flat SQLite table with Python's json and sqlite3,
batched transactions and the store's pragmas. The yardstick for bench/bench_load.cpp."""
import argparse
import json
import sqlite3
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True)
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS studies (nct_id TEXT PRIMARY KEY, brief_title TEXT, "
               "overall_status TEXT, study_json TEXT NOT NULL)")
    start = time.monotonic()
    rows, count = [], 0

    def flush():
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO studies VALUES (?, ?, ?, ?)", rows)
        db.execute("COMMIT")
        rows.clear()

    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        for study in json.loads(line)["studies"]:
            protocol = study.get("protocolSection", {})
            ident = protocol.get("identificationModule", {})
            status = protocol.get("statusModule", {})
            rows.append((ident.get("nctId"), ident.get("briefTitle"), status.get("overallStatus"),
                         json.dumps(study, ensure_ascii=False, separators=(",", ":"))))
            count += 1
            if len(rows) >= args.batch:
                flush()
    if rows:
        flush()
    db.close()
    seconds = time.monotonic() - start
    print(f"python peer: {count} studies in {seconds:.2f} s ({count / max(seconds, 1e-9):.0f} studies/s)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
