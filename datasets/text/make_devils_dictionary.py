#!/usr/bin/python3
"""Rebuilds datasets/text/devils_dictionary.txt.gz and devils_dictionary.json:
Ambrose Bierce's "The Devil's Dictionary" (1911, public domain), the character
corpus for small language-model experiments.

Source: Debian's dict-devil package (the Internet Wiretap 1st Online Edition,
1993, in dictd format). The script reads /usr/share/dictd/devil.{index,dict.dz}
when the package is installed, else fetches the package with
`apt-get download dict-devil` into a temporary folder and unpacks it there.

    /usr/bin/python3 datasets/text/make_devils_dictionary.py

What it does to the text: takes the preface (from the dictionary's info entry)
and every entry in file order, strips trailing spaces, collapses runs of blank
lines to one, and writes UTF-8 (the text is ASCII). Deterministic output.
"""
import glob
import gzip
import hashlib
import json
import os
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(s):
    n = 0
    for ch in s:
        n = n * 64 + B64.index(ch)
    return n


def read_package(root):
    """(index text, dictionary text) from a dictd folder."""
    with open(os.path.join(root, "devil.index"), encoding="ascii") as f:
        index = f.read()
    return index, gzip.open(os.path.join(root, "devil.dict.dz")).read().decode("ascii")


def package_files():
    """(index text, dictionary text, package version) from the installed package or a downloaded .deb."""
    if os.path.exists("/usr/share/dictd/devil.index"):
        version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "dict-devil"], capture_output=True, text=True).stdout
        return (*read_package("/usr/share/dictd"), version)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["apt-get", "download", "dict-devil"], cwd=tmp, check=True)
        deb = glob.glob(os.path.join(tmp, "dict-devil_*.deb"))[0]
        subprocess.run(["dpkg-deb", "-x", deb, os.path.join(tmp, "x")], check=True)
        version = os.path.basename(deb).split("_")[1]
        return (*read_package(os.path.join(tmp, "x", "usr", "share", "dictd")), version)


def main():
    index, data, version = package_files()
    entries = {}
    info = None
    for line in index.splitlines(keepends=True):
        word, off, length = line.rstrip("\n").split("\t")
        body = (b64(off), b64(length))
        if word == "00databaseinfo":
            info = body
        elif not word.startswith("00database"):
            entries[body[0]] = body  # several headwords may share one body
    start, length = info
    info_text = data[start:start + length]
    preface = info_text[info_text.index("PREFACE"):]
    parts = [preface.strip("\n")] + [data[o:o + n].strip("\n") for o, n in (entries[k] for k in sorted(entries))]
    text = "\n\n".join(parts)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    raw = text.encode("utf-8")
    with open(os.path.join(HERE, "devils_dictionary.txt.gz"), "wb") as f:
        f.write(gzip.compress(raw, compresslevel=9, mtime=0))
    header = {
        "name": "devils-dictionary",
        "title": "The Devil's Dictionary",
        "author": "Ambrose Bierce (1842-1914)",
        "file": "devils_dictionary.txt.gz",
        "encoding": "utf-8 (all ASCII)",
        "characters": len(text),
        "entries": len(entries),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "source": {
            "generator": "datasets/text/make_devils_dictionary.py",
            "package": "Debian dict-devil " + version,
            "edition": "The Internet Wiretap 1st Online Edition, released April 15 1993",
        },
        "license": "Public domain: first published 1911 (Albert and Charles Boni); the author died in 1914. "
                   "The edition's header reads 'A Public Domain Text, Copyright Expired'.",
    }
    with open(os.path.join(HERE, "devils_dictionary.json"), "w") as f:
        json.dump(header, f, indent=2)
        f.write("\n")
    print("wrote", len(text), "characters,", len(entries), "entries, sha256", header["sha256"])


if __name__ == "__main__":
    main()
