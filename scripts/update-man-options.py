#!/usr/bin/env python3
"""Rewrites the option blocks of docs/man/*.md from the commands' --help (what the man/* tests
check): every `<!-- options: PROGRAM [SUBCOMMAND] -->` line is followed by a ```text block
holding the "Options:" part of `PROGRAM [SUBCOMMAND] --help`.

Usage: scripts/update-man-options.py BIN_DIR   (from the repository root)
"""
import pathlib
import re
import subprocess
import sys

bin_dir = pathlib.Path(sys.argv[1])
block = re.compile(r"(<!-- options: ([^>]*) -->\n```text\n)[^`]*```")


def options_of(words):
    help_text = subprocess.run([str(bin_dir / words[0]), *words[1:], "--help"], check=True,
                               capture_output=True, text=True).stdout
    start = help_text.index("\nOptions:\n") + len("\nOptions:\n")
    return help_text[start:help_text.index("\nExit status:\n")]


for page in sorted(pathlib.Path("docs/man").glob("*.md")):
    text = page.read_text()
    new = block.sub(lambda m: m.group(1) + options_of(m.group(2).split()) + "```", text)
    if new != text:
        page.write_text(new)
        print(f"updated {page}")
