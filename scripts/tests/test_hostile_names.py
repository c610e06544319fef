"""Names that are markup — `<script>`, quotes, event-handler attributes — in
benchmark, scenario and category names, failure messages, trace events and
the machine context: the report shows them as text and never as elements.

The HTML is parsed (html.parser), not searched: the test fails if any
element or attribute the report's own template does not make appears, if
any attribute is an event handler, or if the hostile text does not come out
of the parser as the text it was.
"""

from __future__ import annotations

import json
import unittest
from html.parser import HTMLParser
from pathlib import Path

from support import FIXTURES, TempDirTest, call

from asio_twin import report

# Beyond the xss fixture's <script>alert(1)</script> with quotes: markup that
# breaks out of an attribute, and an element with an event handler.
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = "\"'><img src=x onerror=alert(2)>"
SVG = "<svg onload=alert(3)>"
# A category is one path segment of a GoogleTest suite name: no '/'.
CATEGORY = "Ord<img src=y onerror=alert(4)>ering"
HOSTILE = [SCRIPT, BREAKOUT, SVG, "<img src=y onerror=alert(4)>", '"quoted"', "'single'"]


class Elements(HTMLParser):
    """Every element, attribute and piece of text in a document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def all_text(self) -> str:
        return "".join(self.text)


def parse(html: str) -> Elements:
    doc = Elements()
    doc.feed(html)
    doc.close()
    return doc


def hostile_copy(tmp: Path, name: str, change_outcome: bool = False) -> Path:
    """The xss fixture, its markup made worse: a benchmark named with a
    breakout, a scenario with an SVG handler, a category with an image
    handler. With `change_outcome`, twin's hostile scenario fails (for a
    before-vs-after report that has a conformance change to show)."""
    src = FIXTURES / "xss"
    out = tmp / name
    out.mkdir()
    for path in src.iterdir():
        text = path.read_text()
        if path.name.startswith("perf"):
            data = json.loads(text)
            for b in data["benchmarks"]:
                for key in ("name", "run_name"):
                    if key in b:
                        b[key] = b[key].replace(
                            "interrupt_ping_pong", f"interrupt_ping_pong{BREAKOUT}"
                        )
            text = json.dumps(data)
        elif path.name.startswith("conformance-"):
            data = json.loads(text)
            for suite in data["testsuites"]:
                suite["name"] = suite["name"].replace("/Interrupt/", f"/{CATEGORY}/")
                for test in suite["testsuite"]:
                    if test["name"] == "DeferRunsAfterPost":
                        test["name"] = f"Defer{SVG}{BREAKOUT}"
                    if (
                        change_outcome
                        and test["name"].startswith("TwoThreads")
                        and "twin" in suite["name"]
                    ):
                        test["failures"] = [{"failure": f"broke: {BREAKOUT}{SVG}", "type": ""}]
            text = json.dumps(data)
        elif path.name == "context.json":
            data = json.loads(text)
            data["compiler"] = f"g++ {BREAKOUT}"
            data["commit"] = SVG
            text = json.dumps(data)
        (out / path.name).write_text(text)
    return out


class Injection(TempDirTest):
    @classmethod
    def setUpClass(cls):
        cls.template_tags = None

    def template_elements(self) -> tuple[set[str], set[tuple[str, str]]]:
        """The elements and attribute names the template makes for a benign
        run with the same shape (the pass and baseline fixtures)."""
        if Injection.template_tags is None:
            tags, attrs = set(), set()
            for fixture, baseline in (
                ("pass", None),
                ("baseline/after", "baseline/before"),
                ("diverged", None),
                ("fail", None),
            ):
                out = self.tmp / "benign.html"
                report.generate(FIXTURES / fixture, out, FIXTURES / baseline if baseline else None)
                doc = parse(out.read_text())
                tags |= set(doc.tags)
                attrs |= {(t, a) for t, a, _ in doc.attributes}
            Injection.template_tags = tags, attrs
        return Injection.template_tags

    def assert_inert(self, html: str, expect: list[str]):
        doc = parse(html)
        tags, attrs = self.template_elements()
        self.assertEqual(
            sorted({"script", "img", "iframe", "object"} & set(doc.tags)), [], "injected elements"
        )
        self.assertEqual(
            [a for a in doc.attributes if a[1].startswith("on")], [], "event-handler attribute"
        )
        self.assertEqual(sorted(set(doc.tags) - tags), [], "elements the template never makes")
        self.assertEqual(
            sorted({(t, a) for t, a, _ in doc.attributes} - attrs),
            [],
            "attributes the template never makes",
        )
        self.assertEqual(doc.tags.count("svg"), html.count("<svg"), "an <svg> that is not a chart")
        for value in (v for _, _, v in doc.attributes):
            for bad in ("alert(", "javascript:"):
                self.assertNotIn(bad, value.replace("alert(1)</script>", ""), value)
        text = doc.all_text()
        for piece in expect:
            self.assertIn(piece, text, f"{piece!r} is not shown as text")

    def test_xss_fixture(self):
        out = self.tmp / "xss.html"
        report.generate(FIXTURES / "xss", out)
        self.assert_inert(
            out.read_text(),
            [
                f"Evil{SCRIPT}\"quoted\" 'single' & ampersand",  # scenario name
                f"evil{SCRIPT}",  # benchmark name
                f"host{SCRIPT}",  # context
                f"handler {SCRIPT}",  # trace event
            ],
        )

    def test_worse_names(self):
        folder = hostile_copy(self.tmp, "hostile")
        out = self.tmp / "hostile.html"
        report.generate(folder, out)
        self.assert_inert(
            out.read_text(),
            [
                f"interrupt_ping_pong{BREAKOUT}",
                f"Defer{SVG}{BREAKOUT}",
                CATEGORY,
                f"g++ {BREAKOUT}",
            ],
        )

    def test_before_vs_after(self):
        before = hostile_copy(self.tmp, "before")
        after = hostile_copy(self.tmp, "after", change_outcome=True)
        out = self.tmp / "baseline.html"
        report.generate(after, out, before)
        html = out.read_text()
        self.assertIn('id="baseline"', html)
        self.assert_inert(html, [f"interrupt_ping_pong{BREAKOUT}", f"broke: {BREAKOUT}{SVG}"])

    def test_through_the_command(self):
        # scripts/report's own path (argument parsing, atomic write).
        folder = hostile_copy(self.tmp, "cmd")
        status, _, err = call("report", folder)
        self.assertEqual(status, 0, err)
        self.assert_inert((folder / "index.html").read_text(), [CATEGORY])

    def test_the_gate_prints_names_as_they_are(self):
        # The gate writes plain text, no markup to escape; hostile names must
        # not break its output into more reason lines than there are reasons.
        folder = hostile_copy(self.tmp, "gate", change_outcome=True)
        status, out, err = call("gate", folder, "--no-perf")
        self.assertEqual(status, 1, out + err)
        reasons = [line for line in out.splitlines() if line.startswith("  - ")]
        self.assertTrue(any(SVG in r for r in reasons), out)


if __name__ == "__main__":
    unittest.main()
