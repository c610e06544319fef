"""asio_twin.charts: inline SVG that can share a page with other charts."""

from __future__ import annotations

import re
import unittest

import support  # noqa: F401 -- puts scripts/ on sys.path

from asio_twin import charts


class Charts(unittest.TestCase):
    def test_bare_svg_with_unique_ids_and_plain_log_labels(self):
        a = charts.bars(
            "wide <range>",
            ["x", "y"],
            {"twin": [(1, 1, 2), (1000, 900, 1100)], "asio": [(2, 2, 2), None]},
            "ns/op",
        )
        b = charts.curve("over threads", "threads", [("twin", "twin", [1, 2, 64], [1, 2, 3])])
        for svg in (a, b):
            self.assertTrue(svg.startswith("<svg"), svg[:40])
            self.assertNotIn("<?xml", svg)
            self.assertNotIn("<!--", svg)
            self.assertNotIn("mathdefault", svg)  # log ticks as plain numbers
            self.assertNotIn("<script", svg)
        self.assertIn("wide &lt;range&gt;", a)
        self.assertIn(">1,000<", a)
        self.assertIn(">64<", b)
        ids = re.findall(r'\bid="([^"]+)"', a + b)
        self.assertEqual(len(ids), len(set(ids)))
        for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', a + b):
            self.assertIn(ref, ids)

    def test_dollar_signs_are_text(self):
        svg = charts.ratios("t", ["cost $5 and $6"], [0.5], ["slower"])
        self.assertIn("cost $5 and $6", svg)


if __name__ == "__main__":
    unittest.main()
