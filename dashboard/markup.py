"""Keeping text that members typed inert where a renderer reads markup.

AG Grid's Markdown cells turn '[x](url)' into a link; plotly reads tags such as <a href>, <b>
and <br> in labels. Member ids, material names and the like pass through these first.
"""

import polars as pl

# Inside a link's text these could close the link, open another, or start emphasis or markup.
MARKDOWN_SIGNS = r"([\\`*_\[\]()<>!|~&])"


def markdown_text(column: str) -> pl.Expr:
    """Return a text column with every Markdown sign escaped, so it shows as typed."""
    return pl.col(column).str.replace_all(MARKDOWN_SIGNS, r"\$1")


def plotly_text(column: str) -> pl.Expr:
    """Return a text column of labels that plotly shows as typed: tags written as entities."""
    return (pl.col(column).str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True).str.replace_all(">", "&gt;", literal=True))
