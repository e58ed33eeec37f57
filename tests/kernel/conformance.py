"""The official Jupyter kernel conformance suite (jupyter_kernel_test) for the optilab kernel.

Every sample attribute is filled, so no test of the suite is skipped. Run with Debian's
system python (/usr/bin/python3) and JUPYTER_PATH pointing at an installed kernelspec;
tests/kernel/conformance.test.ts does both.
"""
import unittest

import jupyter_kernel_test as jkt


class OptilabKernelTests(jkt.KernelTests):
    kernel_name = "optilab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = "console.log('hello, world')"
    code_stderr = "console.error('oops')"

    completion_samples = [
        {"text": "Math.fl", "matches": {"floor"}},
        # a member of a library namespace, through the preloaded global
        {"text": "display.ma", "matches": {"markdown"}},
        {"text": "const values = [1, 2]; values.fil", "matches": {"fill", "filter"}},
    ]

    complete_code_samples = ["1", "const a = 1;", "function f(x: number) { return x }", "const s = `a ${1} b`;"]
    incomplete_code_samples = ["function f(x) {", "let s = `abc", "const a = [1,", "if (true) {\n  console.log(1)"]
    invalid_code_samples = ["let = ;", "const x = )", "1 +* 2"]

    code_generate_error = "throw new Error('boom')"

    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "[1, 2].map((x) => x * 2)", "result": "[ 2, 4 ]"},
    ]

    code_display_data = [
        {"code": "await display(display.html('<b>hi</b>'))", "mime": "text/html"},
        {"code": "await display(display.svg('<svg xmlns=\"http://www.w3.org/2000/svg\"/>'))", "mime": "image/svg+xml"},
    ]

    code_page_something = "Math.floor?"

    code_clear_output = "display.clear()"

    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.floor"


if __name__ == "__main__":
    unittest.main()
