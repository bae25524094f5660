"""The meeting pack as files: the PDF rendered by poppler, the deck opened by python-pptx and
converted by LibreOffice, made by `imvo report` and by the background job of the app.

Input: the real ingest of the hand-worked data of tests/test_kpis.py (see
tests/test_report_content.py for the suppressed values worked out by hand).
"""

import io
import os
import subprocess
import sys
import time

import pytest
from PIL import Image
from pptx import Presentation

from dashboard.report.jobs import PackRequest, start_job
from dashboard.report.jobstore import JobSettings, job_state, take_file
from tests.report_support import pdf_pages, pdf_text, require, run, tiny_warehouse
from warehouse.access import PUBLIC, Viewer

COMMISSION = Viewer("commission", "textiel")
KPI_TITLES = [
    "Number of members", "Market coverage",
    "Share of members in a robust multi-stakeholder initiative",
    "Share of sustainably certified raw materials",
    "Share of supplier workers who worked more than 60 hours a week",
    "Number of worker-management dialogue structures at suppliers", "Share of joint audits",
    "Share of public audits", "Disclosed production locations",
    "Members that published a due diligence report"]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def data(tmp_path_factory, defs):
    require("chromium", "pdftotext", "pdfinfo", "pdftoppm", "pdfimages")
    folder = tmp_path_factory.mktemp("data")
    tiny_warehouse(folder, defs)
    return folder


def _report(data, *args):
    env = {**os.environ, "IMVO_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "imvo", "report", "--covenant", "textiel",
                           *args], env=env, capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.fixture(scope="module")
def pdf(data):
    done = _report(data, "--year", "2019", "--format", "pdf", "--lang", "en",
                   "-o", str(data / "pack.pdf"))
    assert done.returncode == 0, done.stderr
    assert f"Wrote {data / 'pack.pdf'}" in _flat(done.stderr)
    return data / "pack.pdf"


@pytest.fixture(scope="module")
def deck(data):
    done = _report(data, "--year", "2019", "--format", "pptx", "--lang", "en",
                   "-o", str(data / "pack.pptx"))
    assert done.returncode == 0, done.stderr
    return data / "pack.pptx"


def test_pdf_has_every_part_on_its_own_numbered_pages(pdf):
    pages = pdf_pages(pdf)
    assert pages == 17  # cover, status, 10 KPIs, coverage, goals, 3 pages of definitions
    texts = [_flat(pdf_text(pdf, page)) for page in range(1, pages + 1)]
    for number, text in enumerate(texts, start=1):
        assert text.endswith(f"Page {number} of {pages}")
    assert texts[0].startswith("Meeting pack Dutch Agreement on Sustainable Garments and Textile "
                               "Steering group meeting · reporting year 2019")
    assert texts[1].startswith("Status: KPIs against their targets")
    assert [t[:len(title)] for t, title in zip(texts[2:12], KPI_TITLES, strict=True)] == \
        KPI_TITLES
    assert texts[12].startswith("Coverage and data freshness")
    assert texts[13].startswith("Outcome goals")
    assert texts[14].startswith("Appendix: definitions of the KPIs")


def test_pdf_charts_are_vector_and_whole_on_their_page(pdf):
    assert run("pdfimages", "-list", pdf).splitlines()[2:] == []  # no raster image anywhere
    for page, title in enumerate(KPI_TITLES, start=3):
        text = _flat(pdf_text(pdf, page))
        # axis ticks and legend are text in the vector chart, all on the KPI's own page
        assert text.startswith(title)
        assert {"2016", "2017", "2018", "2019", "2020"} <= set(text.split())
    hours = _flat(pdf_text(pdf, 7))
    assert "computed target path milestone" in hours and "suppressed" in hours


def test_pdf_renders_to_images_with_the_chart_drawn(pdf, tmp_path):
    run("pdftoppm", "-r", "50", "-png", pdf, tmp_path / "page")
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 17
    page = Image.open(images[6]).convert("RGB")  # excessive hours: target path and milestones
    assert page.size == (414, 585)  # A4 at 50 dpi
    width, height = page.size
    chart = page.crop((0, int(height * 0.15), width, int(height * 0.5)))
    pixels = chart.load()
    grey = sum(1 for x in range(chart.width) for y in range(chart.height)
               if all(abs(c - 0x55) <= 40 for c in pixels[x, y]))
    assert grey > 150  # the dashed target path and diamond milestones (#555555)


def test_public_pdf_masks_and_marks_suppressed_values(pdf):
    text = _flat(pdf_text(pdf))
    assert "suppressed (a few members dominate the total) (2018)" in text
    assert "66.7% (2018)" in text and "Public edition:" in text
    assert "11.2%" not in text and "31.8%" not in text and "CONFIDENTIAL" not in text


def test_deck_has_a_slide_per_part_with_pictures_and_numbers(deck):
    slides = list(Presentation(str(deck)).slides)
    assert len(slides) == 19  # cover, status, 10 KPIs, coverage, goals, 5 of definitions
    titles = [s.shapes.title.text for s in slides]
    assert titles[:2] == ["Dutch Agreement on Sustainable Garments and Textile",
                          "Status: KPIs against their targets"]
    assert titles[2:12] == KPI_TITLES
    assert titles[12:14] == ["Coverage and data freshness", "Outcome goals"]
    for number, slide in enumerate(slides, start=1):
        words = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert f"Page {number} of 19" in words
    for slide in slides[2:12]:
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        assert len(pictures) == 1
        assert Image.open(io.BytesIO(pictures[0].image.blob)).size == (1920, 840)
    table = next(s for s in slides[1].shapes if s.has_table).table
    assert [table.cell(9, c).text for c in range(5)] == [
        "Disclosed production locations", "4 (2018)", "2020: 8,000",
        "Moving away from the target", "80%"]


def test_deck_converts_with_libreoffice(deck, tmp_path):
    require("soffice")
    run("soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
        "--convert-to", "pdf", "--outdir", tmp_path, deck)
    converted = tmp_path / "pack.pdf"
    assert pdf_pages(converted) == 19
    text = _flat(pdf_text(converted))
    assert "Share of supplier workers who worked more than 60 hours a week" in text
    assert "Page 19 of 19" in text


def test_report_command_says_what_is_wrong(data):
    done = _report(data, "--year", "2021", "--role", "steering", "--scope", "goud")
    assert done.returncode == 1
    assert done.stderr.strip() == ("Error: 2021 is outside the period of textiel (2016–2020)\n"
                                   "Hint: choose a year in the period")


def _wait(jobs, job, owner, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = job_state(jobs, job, owner)
        if state is None or state.status in ("done", "failed"):
            return state
        time.sleep(0.3)
    raise TimeoutError(f"job {job} still running after {seconds} s")


def test_background_job_makes_the_commission_pack_for_its_viewer_only(data, tmp_path):
    warehouse, jobs = data / "imvo.duckdb", JobSettings(tmp_path / "jobs")
    job = start_job(PackRequest(warehouse, None, COMMISSION, "textiel", 2018, "nl", "pdf",
                                "commission"), jobs)
    assert job_state(jobs, job, "commission").status in ("queued", "running")  # not waited
    assert job_state(jobs, job, "public") is None
    state = _wait(jobs, job, "commission")
    assert (state.status, state.message) == ("done", "Klaar: vergaderstuk-textiel-2018.pdf")
    name, content = take_file(jobs, job, "commission")
    (tmp_path / name).write_bytes(content)
    text = _flat(pdf_text(tmp_path / name))
    assert "VERTROUWELIJK" in text and "11,2 % (2018)" in text  # 47 / 420 workers
    assert "Pagina 1 van 17" in text


def test_background_job_failure_is_told_not_raised(data, tmp_path):
    warehouse, jobs = data / "imvo.duckdb", JobSettings(tmp_path / "jobs")
    job = start_job(PackRequest(warehouse, None, PUBLIC, "textiel", 2031, "en", "pptx"), jobs)
    state = _wait(jobs, job, "local")
    assert (state.status, state.message) == (
        "failed", "The meeting pack could not be made: 2031 is outside the period of textiel "
                  "(2016–2020)\nHint: choose a year in the period")
