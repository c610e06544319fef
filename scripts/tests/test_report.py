"""scripts/report: the HTML it writes from the fixture folders."""

from __future__ import annotations

import json
import re
import unittest
from html.parser import HTMLParser

from support import FIXTURES, SCRIPTS, TempDirTest, run

from asio_twin import report

REPORT = SCRIPTS / "report"


class Structure(HTMLParser):
    """Collects ids, tags, the external references and the <tr> classes."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.tags: set[str] = set()
        self.external: list[str] = []
        self.row_classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "tr" and a.get("class"):
            self.row_classes.append(a["class"])
        for key in ("src", "href", "xlink:href"):
            value = a.get(key) or ""
            if value and not value.startswith("#"):
                self.external.append(f"{tag} {key}={value}")


class ReportTest(TempDirTest):
    def report(self, fixture: str, baseline=None) -> str:
        """The report of fixtures/<fixture>, generated in-process."""
        out = self.tmp / f"{fixture.replace('/', '-')}.html"
        report.generate(FIXTURES / fixture, out, baseline)
        return out.read_text()

    def assert_finds(self, pattern: str, html: str):
        self.assertIsNotNone(re.search(pattern, html, re.S), f"no match for {pattern!r}")

    def parse(self, html: str) -> Structure:
        s = Structure()
        s.feed(html)
        return s


class PassingRun(ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.html = None

    def setUp(self):
        super().setUp()
        if PassingRun.html is None:
            PassingRun.html = self.report("pass")
        self.doc = self.parse(self.html)

    def assert_shows(self, *texts: str):
        for text in texts:
            self.assertIn(text, self.html)

    def test_matrix_with_categories_and_totals(self):
        self.assertIn("conformance-matrix", self.doc.ids)
        self.assert_shows("Ordering", "Interrupt", "Timer", "PostIsFifo", "asio_uring")
        self.assert_shows("6 pass · 0 fail · 0 skip")

    def test_charts_are_inline_svg_with_unique_ids(self):
        self.assertGreaterEqual(self.html.count("<svg"), 5)
        self.assertEqual(len(self.doc.ids), len(set(self.doc.ids)), "duplicate ids")

    def test_self_contained(self):
        self.assertEqual(self.doc.external, [])
        self.assertNotIn("<script", self.html.lower())
        self.assertNotIn("<link", self.html.lower())
        self.assertNotIn("@import", self.html)
        self.assertIn("Content-Security-Policy", self.html)

    def test_perf_sections(self):
        self.assertIn("perf-summary", self.doc.ids)
        self.assert_shows("twin/asio", "allocs_per_op", "p99_ns", "latency percentiles")
        self.assert_shows("throughput over threads", "× raw", "geometric mean")
        self.assert_shows("a reference point for what a plain design costs, not a")
        self.assertIn("Fixture CPU", self.html)  # machine context
        self.assertNotIn("Before vs after", self.html)


class Categories(ReportTest):
    """The matrix folds the categories where everything passes and puts the
    ones with a failure or a divergence first, open."""

    # <details> of one category: its classes, whether open, its name.
    DETAILS = re.compile(
        r'<details class="category (\w+)" id="category-\d+"( open)?>\s*<summary><strong>([^<]+)<'
    )

    def categories(self, html: str) -> list[tuple[str, str, bool]]:
        """(name, clean|attention, open) in the order the report shows them."""
        return [(name, kind, bool(opened)) for kind, opened, name in self.DETAILS.findall(html)]

    def test_all_passing_categories_are_folded_in_run_order(self):
        html = self.report("pass")
        self.assertEqual(
            self.categories(html),
            [
                ("Ordering", "clean", False),
                ("Interrupt", "clean", False),
                ("Timer", "clean", False),
            ],
        )
        self.assertIn("All 6 scenarios pass on twin, asio, asio_uring", html)
        self.assertNotIn("<script", html.lower())

    def test_a_failing_category_comes_first_and_open(self):
        folder = self.copy_fixture("pass")
        path = folder / "conformance-asio.json"
        data = json.loads(path.read_text())
        timer = next(s for s in data["testsuites"] if s["name"].startswith("conformance/Timer/"))
        timer["testsuite"][0]["failures"] = [{"failure": "cancel did not abort", "type": ""}]
        path.write_text(json.dumps(data))
        html = self.tmp / "index.html"
        report.generate(folder, html)
        html = html.read_text()
        self.assertEqual(
            self.categories(html),
            [
                ("Timer", "attention", True),
                ("Ordering", "clean", False),
                ("Interrupt", "clean", False),
            ],
        )
        self.assert_finds(r"1 of 3 categories needs attention:</strong>\s*Timer \(1 failed\)", html)

    def test_a_divergence_opens_its_category(self):
        html = self.report("diverged")
        self.assertEqual(self.categories(html)[0], ("Ordering", "attention", True))
        self.assertEqual([c[2] for c in self.categories(html)[1:]], [False, False])
        self.assertIn("Ordering (1 failed, 1 diverged from asio)", html)


class Divergence(ReportTest):
    def test_traces_side_by_side_first_difference_highlighted(self):
        html = self.report("diverged")
        doc = self.parse(html)
        self.assertIn("divergences", doc.ids)
        self.assertEqual(doc.row_classes.count("first-diff"), 1)
        first = re.search(r'<tr class="first-diff">(.*?)</tr>', html, re.S)[1]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", first, re.S)
        self.assertEqual(cells[1:], ["0", "deferred @0", "posted @0"])
        self.assertIn("(end)", html)  # twin's trace is one event longer
        self.assertIn('<span class="badge fail">fail</span>', html)


class Escaping(ReportTest):
    def test_names_with_script_and_quotes_render_as_text(self):
        html = self.report("xss")
        self.assertNotIn("<script", html.lower())
        self.assertNotIn("alert(1)</", html)
        self.assertIn(
            "Evil&lt;script&gt;alert(1)&lt;/script&gt;&#34;quoted&#34; &#39;single&#39; "
            "&amp; ampersand",
            html,
        )
        self.assertIn("evil&lt;script&gt;", html)  # benchmark name, table and chart
        self.assertIn("host&lt;script&gt;", html)  # context value


class Baseline(ReportTest):
    def test_before_vs_after(self):
        html = self.report("baseline/after", FIXTURES / "baseline" / "before")
        doc = self.parse(html)
        self.assertIn("baseline", doc.ids)
        self.assertIn("baseline-changes", doc.ids)
        self.assertIn("conformance-changes", doc.ids)
        self.assert_finds(
            r"foreign_post&lt;twin&gt;/n:10000/threads:1/real_time</td>"
            r"<td>items_per_second</td>[^\n]*\n[^\n]*improved",
            html,
        )
        self.assert_finds(
            r"timer_armed&lt;twin&gt;/n:100000/manual_time</td>"
            r"<td>time</td>[^\n]*\n[^\n]*regressed",
            html,
        )
        self.assertIn("pass (equal)", html)
        self.assertNotIn("different machine", html)

    def test_baseline_from_another_machine_is_flagged(self):
        folder = self.copy_fixture("baseline/before")
        ctx = (folder / "context.json").read_text().replace('"fixture-vm"', '"other-host"')
        (folder / "context.json").write_text(ctx)
        html = self.report("baseline/after", folder)
        self.assertIn("baseline from a different machine (host other-host vs fixture-vm)", html)


class Warnings(ReportTest):
    def test_debug_build_noise_and_governor(self):
        folder = self.copy_fixture("pass")
        ctx = json.loads((folder / "context.json").read_text())
        ctx.update(build_type="Debug", governors=["powersave"])
        (folder / "context.json").write_text(json.dumps(ctx))
        perf = folder / "perf.json"
        data = json.loads(perf.read_text())
        for i, e in enumerate(
            b
            for b in data["benchmarks"]
            if b["name"].startswith("timer_armed<twin>") and b["run_type"] == "iteration"
        ):
            e["items_per_second"] *= 1 + 0.5 * (i % 2)  # 50% swings: noisy
        perf.write_text(json.dumps(data))
        out = folder / "index.html"
        proc = run(REPORT, folder)  # the command, with its default output file
        self.assertEqual((proc.returncode, proc.stderr), (0, ""))
        self.assertEqual(proc.stdout.strip(), f"report: {out}")
        html = out.read_text()
        self.assertIn("Debug build", html)
        self.assertIn("governor is powersave", html)
        self.assertIn("high noise: 1 measurement", html)
        self.assertIn("timer_armed&lt;twin&gt;", html)


if __name__ == "__main__":
    unittest.main()
