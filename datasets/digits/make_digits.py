#!/usr/bin/python3
"""Rebuilds datasets/digits/digits.u8.gz and digits.json from scikit-learn's copy
of the UCI "Optical Recognition of Handwritten Digits" test set (1797 8x8 images,
integer pixels 0..16, labels 0..9).

Run with Debian's python3 and its python3-sklearn package:
    /usr/bin/python3 datasets/digits/make_digits.py

The output is deterministic (gzip with a zero timestamp), so re-running it leaves
the committed files unchanged unless the source changed.
Layout of the uncompressed bytes: n*64 uint8 pixels (row-major images, each
image row-major 8x8), then n uint8 labels.
"""
import gzip
import hashlib
import json
import os

import numpy as np
import sklearn
import sklearn.datasets

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    bunch = sklearn.datasets.load_digits()
    x, y = bunch.data, bunch.target
    assert x.shape == (1797, 64) and y.shape == (1797,)
    assert np.all(x == np.round(x)) and x.min() >= 0 and x.max() <= 16, "pixels must be integers in 0..16"
    payload = x.astype(np.uint8).tobytes() + y.astype(np.uint8).tobytes()
    with open(os.path.join(HERE, "digits.u8.gz"), "wb") as f:
        f.write(gzip.compress(payload, compresslevel=9, mtime=0))
    header = {
        "name": "digits",
        "description": "Optical Recognition of Handwritten Digits (UCI), test set as shipped by scikit-learn: 8x8 images of digits 0-9",
        "file": "digits.u8.gz",
        "layout": "gzip of n*features uint8 pixels (row-major) followed by n uint8 labels",
        "n": int(x.shape[0]),
        "features": int(x.shape[1]),
        "image_shape": [8, 8],
        "pixel_max": 16,
        "classes": 10,
        "class_counts": [int(c) for c in np.bincount(y, minlength=10)],
        "sha256": hashlib.sha256(payload).hexdigest(),
        "source": {
            "generator": "datasets/digits/make_digits.py",
            "read_from": "sklearn.datasets.load_digits() (sklearn/datasets/data/digits.csv.gz)",
            "package": "Debian python3-sklearn " + sklearn.__version__,
            "original": "https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits",
            "creators": "E. Alpaydin, C. Kaynak (1998)",
        },
        "license": "scikit-learn's copy: BSD-3-Clause (scikit-learn developers); original data set: UCI Machine Learning Repository, CC BY 4.0 (cite Alpaydin & Kaynak 1998)",
    }
    with open(os.path.join(HERE, "digits.json"), "w") as f:
        json.dump(header, f, indent=2)
        f.write("\n")
    print("wrote", header["n"], "images, sha256", header["sha256"])


if __name__ == "__main__":
    main()
