"""Executes a notebook with nbclient (the engine behind nbconvert --execute and papermill)
on the optilab kernel, and prints a JSON summary of the result for the node test."""
import json
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

nb = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(nb, timeout=120, kernel_name="optilab", resources={"metadata": {"path": sys.argv[2]}})
summary = {"error": None, "cells": []}
try:
    client.execute()
except CellExecutionError as e:
    summary["error"] = {"ename": e.ename, "evalue": e.evalue}
for cell in nb.cells:
    if cell.cell_type != "code":
        continue
    summary["cells"].append(
        {
            "execution_count": cell.get("execution_count"),
            "outputs": [
                {
                    "output_type": o.output_type,
                    "name": o.get("name"),
                    "text": o.get("text"),
                    "data_types": {k: ("object" if isinstance(v, dict) else type(v).__name__) for k, v in o.get("data", {}).items()},
                    "data": o.get("data"),
                }
                for o in cell.outputs
            ],
        }
    )
nbformat.validate(nb)
print(json.dumps(summary))
