"""How the synthetic demo data of each covenant is shaped: plain data, calibrated to DESIGN §8.

Published figures (seed 004) that the generated aggregates must land near: textile 93 members in
2018 with ca. 48 % of the market and 2,802 / 4,268 / 6,289 disclosed production locations at the
end of 2016 / 2017 / 2018; 11 banks; 12 gold companies of which 8 (or 5) published a due-diligence
report in year 1 and 5 in year 2; 23 wood signatories; 81 pension funds in 2019. Everything else
(the other member counts, the trends, countries and materials) is invented but plausible. The
trends are chosen so that the progress statuses vary: some on track, some moderate, and some
insufficient or moving away from their target.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

Trend = tuple[float, float]
"""A share (0 to 1) in the first and in the last reporting year, interpolated linearly between."""


@dataclass(frozen=True)
class Calibration:
    """The shape of one covenant's synthetic members and submissions."""

    prefix: str
    """Member id prefix, e.g. TEX gives TEX-0001."""
    names: tuple[str, ...]
    """Company name patterns; {s} and {s2} are invented Dutch-sounding surnames."""
    bound: tuple[int, ...]
    """Members bound per reporting year, first to last (multiplied by the scale)."""
    weight: tuple[float, float]
    """Range of turnover (or assets under management) in EUR million, small to large."""
    rates: Mapping[str, Trend]
    """Per field: share of true answers or of a volume (certified of purchased, etc.)."""
    churn: float = 0.03
    countries: Mapping[str, float] = field(default_factory=dict)
    materials: Mapping[str, float] = field(default_factory=dict)
    tonnes_per_meur: float = 10.0
    workers: int = 150
    """Median number of workers per site."""
    sites: Trend = (10.0, 14.0)
    """Mean number of sites per submitting member (not a share)."""
    counts: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    """Per boolean field and year: the exact number of members answering yes."""
    disclosed_totals: Mapping[int, int] = field(default_factory=dict)
    """Per year: the exact number of disclosed sites over all submitters."""
    market_share: tuple[int, float] | None = None
    """(year, percent): the market share summed over that year's submitters."""


TEXTILE_COUNTRIES = {"CN": 25, "BD": 22, "IN": 14, "TR": 14, "PK": 5, "VN": 5, "KH": 4, "PT": 4,
                     "MM": 3, "IT": 2, "MA": 1, "TN": 1}
GOLD_COUNTRIES = {"CH": 25, "PE": 15, "GH": 12, "ZA": 10, "AU": 10, "CA": 8, "BO": 7, "US": 5,
                  "BF": 5, "CD": 3}
WOOD_COUNTRIES = {"BR": 15, "ID": 12, "MY": 10, "CM": 8, "GA": 6, "CG": 5, "FI": 12, "SE": 12,
                  "LV": 6, "EE": 5, "DE": 6, "US": 3}
PROTEIN_COUNTRIES = {"BR": 35, "AR": 20, "US": 20, "PY": 8, "CA": 7, "UA": 5, "FR": 5}
FOOD_COUNTRIES = {"CI": 12, "GH": 8, "BR": 10, "CO": 7, "VN": 8, "ID": 10, "MY": 6, "IN": 9,
                  "KE": 6, "TH": 8, "TR": 6, "ES": 5, "IT": 5}
STONE_COUNTRIES = {"IN": 35, "CN": 30, "VN": 15, "TR": 10, "PT": 5, "BR": 5}
METAL_COUNTRIES = {"CN": 30, "DE": 10, "IN": 8, "TR": 6, "BR": 6, "CL": 6, "PE": 5, "ZA": 5,
                   "CD": 4, "ID": 5, "KR": 5, "PL": 5}
FLOWER_COUNTRIES = {"KE": 30, "ET": 20, "CO": 15, "EC": 15, "UG": 5, "TZ": 5, "ES": 4, "IL": 3,
                    "ZW": 3}

CALIBRATION: dict[str, Calibration] = {
    "textiel": Calibration(
        prefix="TEX", bound=(55, 79, 93, 95, 97), weight=(2, 3000), workers=320,
        names=("{s} Mode B.V.", "{s} Textiel B.V.", "{s} & {s2} Kleding", "{s} Fashion Groep",
               "Confectiehuis {s}"),
        countries=TEXTILE_COUNTRIES, tonnes_per_meur=12,
        materials={"cotton": 45, "polyester": 25, "viscose": 8, "wool": 6, "elastane": 5,
                   "linen": 4, "nylon": 4, "leather": 3},
        disclosed_totals={2016: 2802, 2017: 4268, 2018: 6289, 2019: 7050, 2020: 7650},
        market_share=(2018, 48.0),
        rates={"msi_member": (0.30, 0.62), "dd_report_published": (0.15, 0.70),
               "workers_over_60h": (0.12, 0.03), "dialogue_structure": (0.15, 0.35),
               "audits_joint": (0.10, 0.25), "audits_public": (0.03, 0.12),
               "certified_volume": (0.28, 0.38), "disclosed": (0.78, 0.95)}),
    "banken": Calibration(
        prefix="BNK", bound=(11, 11, 11), churn=0.0, weight=(1500, 800_000),
        names=("{s} Bank N.V.", "{s} Spaarbank", "Handelsbank {s} N.V.", "{s} & {s2} Bankiers"),
        rates={"dd_report_published": (0.45, 0.90), "policy_oecd": (0.55, 0.91),
               "assets_covered": (0.50, 0.80)}),
    "goud": Calibration(
        prefix="GLD", bound=(12, 12, 12, 12, 12), churn=0.0, weight=(5, 2500), workers=180,
        names=("{s} Edelmetalen B.V.", "Goudsmederij {s}", "{s} & {s2} Juweliers",
               "{s} Goud B.V."),
        countries=GOLD_COUNTRIES, materials={"gold": 85, "silver": 15}, tonnes_per_meur=0.017,
        sites=(6, 9), counts={"dd_report_published": {2017: 6, 2018: 5, 2019: 6, 2020: 7,
                                                      2021: 8}},
        rates={"msi_member": (0.50, 0.80), "dd_report_published": (0.50, 0.70),
               "workers_over_60h": (0.08, 0.05), "dialogue_structure": (0.30, 0.50),
               "audits_joint": (0.15, 0.30), "audits_public": (0.05, 0.15),
               "certified_volume": (0.30, 0.55), "disclosed": (0.60, 0.85)}),
    "hout": Calibration(
        prefix="HOU", bound=(23, 23, 24, 25), weight=(2, 800), workers=80,
        names=("Houthandel {s} B.V.", "{s} Timmerhout", "{s} & {s2} Hout", "Zagerij {s}"),
        countries=WOOD_COUNTRIES, tonnes_per_meur=150, sites=(12, 16),
        materials={"softwood": 40, "tropical hardwood": 25, "temperate hardwood": 20,
                   "plywood": 15},
        rates={"msi_member": (0.65, 0.80), "dd_report_published": (0.30, 0.60),
               "workers_over_60h": (0.06, 0.04), "dialogue_structure": (0.25, 0.40),
               "certified_volume": (0.60, 0.70), "disclosed": (0.50, 0.70)}),
    "plantaardige-eiwitten": Calibration(
        prefix="EIW", bound=(13, 15, 16, 16), weight=(20, 5000), workers=60,
        names=("{s} Veevoeders B.V.", "{s} Oliefabriek", "{s} & {s2} Agri", "{s} Proteïne B.V."),
        countries=PROTEIN_COUNTRIES, tonnes_per_meur=2000, sites=(20, 28),
        materials={"soy": 60, "rapeseed": 15, "sunflower": 10, "peas": 10, "field beans": 5},
        rates={"msi_member": (0.40, 0.70), "dd_report_published": (0.20, 0.55),
               "workers_over_60h": (0.09, 0.06), "certified_volume": (0.35, 0.62),
               "disclosed": (0.40, 0.65)}),
    "voedingsmiddelen": Calibration(
        prefix="VOE", bound=(38, 41, 43, 44), weight=(10, 10_000), workers=120,
        names=("{s} Voeding B.V.", "{s} Levensmiddelen", "{s} & {s2} Foods",
               "Conservenfabriek {s}"),
        countries=FOOD_COUNTRIES, tonnes_per_meur=400, sites=(15, 20),
        materials={"cocoa": 20, "coffee": 15, "palm oil": 15, "cane sugar": 15, "tea": 10,
                   "rice": 10, "hazelnuts": 8, "vanilla": 7},
        rates={"msi_member": (0.20, 0.45), "dd_report_published": (0.10, 0.45),
               "workers_over_60h": (0.15, 0.18), "dialogue_structure": (0.20, 0.30),
               "certified_volume": (0.25, 0.40), "disclosed": (0.35, 0.60)}),
    "verzekeringen": Calibration(
        prefix="VZK", bound=(45, 46, 46, 47), weight=(200, 150_000),
        names=("{s} Verzekeringen N.V.", "Onderlinge {s}", "{s} & {s2} Assurantiën",
               "{s} Leven N.V."),
        rates={"policy_oecd": (0.50, 0.85), "assets_covered": (0.50, 0.80)}),
    "pensioenfondsen": Calibration(
        prefix="PFB", bound=(81, 79, 77, 76), weight=(300, 450_000),
        names=("Stichting Pensioenfonds {s}", "Bedrijfstakpensioenfonds {s}",
               "Pensioenfonds {s} & {s2}"),
        rates={"dd_report_published": (0.20, 0.70), "policy_oecd": (0.40, 0.88),
               "assets_covered": (0.35, 0.80)}),
    "natuursteen": Calibration(
        prefix="NST", bound=(18, 20, 21, 22, 22), weight=(1, 150), workers=40,
        names=("Natuursteen {s} B.V.", "{s} Steenhandel", "{s} & {s2} Graniet"),
        countries=STONE_COUNTRIES, sites=(8, 12),
        rates={"msi_member": (0.30, 0.60), "dd_report_published": (0.10, 0.55),
               "workers_over_60h": (0.18, 0.06), "dialogue_structure": (0.10, 0.30),
               "audits_joint": (0.05, 0.20), "disclosed": (0.30, 0.70)}),
    "metaal": Calibration(
        prefix="MET", bound=(27, 30, 32, 33, 33), weight=(5, 4000), workers=250,
        names=("{s} Metaal B.V.", "{s} Staalbouw", "{s} & {s2} Gieterij", "Metaalwerken {s}"),
        countries=METAL_COUNTRIES, tonnes_per_meur=300, sites=(18, 24),
        materials={"steel": 45, "aluminium": 20, "copper": 15, "zinc": 8, "tin": 6,
                   "tungsten": 6},
        rates={"msi_member": (0.20, 0.40), "dd_report_published": (0.15, 0.50),
               "workers_over_60h": (0.10, 0.07), "dialogue_structure": (0.20, 0.35),
               "audits_joint": (0.10, 0.08), "audits_public": (0.02, 0.06),
               "certified_volume": (0.10, 0.20), "disclosed": (0.40, 0.60)}),
    "sierteelt": Calibration(
        prefix="SRT", bound=(22, 25, 27, 28), weight=(2, 1500), workers=90,
        names=("{s} Bloemen B.V.", "Kwekerij {s}", "{s} & {s2} Flowers", "{s} Plantenhandel"),
        countries=FLOWER_COUNTRIES, tonnes_per_meur=50, sites=(10, 14),
        materials={"cut flowers": 55, "potted plants": 30, "flower bulbs": 15},
        rates={"msi_member": (0.30, 0.40), "dd_report_published": (0.10, 0.40),
               "workers_over_60h": (0.14, 0.10), "dialogue_structure": (0.30, 0.45),
               "certified_volume": (0.45, 0.60), "disclosed": (0.40, 0.65)}),
}
