"""Write data/areas/ninh_binh.csv (the units of Kim Sơn across 2019–2025 and of the merged Ninh Bình) and
data/crosswalk/kim_son_2025.csv (which old unit became which new one).

Run it again (`.venv/bin/python scripts/make_areas.py`) when the package or the facts below change; the
CSV is the data the app reads, this script is how it was made. Kim Sơn's units, their codes and their days
are written out here from the sources in ../shared/research/domain-facts.md §4 (each row cites its own);
the other communes of the merged province come from the maintained package, which is cited with its
version. The script checks that the package agrees with the facts it also knows (codes of the 23 communes
before 01/07/2025 and of the 8 after, and which old communes formed each new one) and stops if it does not.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

from indicators import contract
from indicators.areas import package
from indicators.areas.register import AREAS_DIR, REGISTER_COLUMNS

GSO_LISTS = ("Danh mục ĐVHC của Tổng cục Thống kê, bản lưu https://github.com/daohoangson/dvhcvn "
             "(data/dvhcvn.json, các bản 01/12/2019–01/03/2025)")
NQ_202 = "NQ 202/2025/QH15 ngày 12/6/2025 (hợp nhất Hà Nam, Nam Định, Ninh Bình thành tỉnh Ninh Bình; hiệu lực 01/07/2025)"
NQ_1674 = ("NQ 1674/NQ-UBTVQH15 ngày 16/6/2025, mục 90–97 (https://github.com/dvhcvn/20250701/blob/main/input/docs/"
           "1674_NQ-UBTVQH15.md); mã: Công văn 1027/CTK-CSCL ngày 25/6/2025")
NQ_861 = ("NQ 861/NQ-UBTVQH14 (sắp xếp ĐVHC cấp xã tỉnh Ninh Bình); ngày hiệu lực chưa tìm được: "
          "bản danh mục TCTK 01/12/2019 còn đơn vị cũ, bản 01/03/2020 đã có Xuân Chính — " + GSO_LISTS)
NQ_1318 = "NQ 1318/NQ-UBTVQH15 ngày 30/11/2024 (hiệu lực 01/01/2025); " + GSO_LISTS
DISTRICT_END = "Bỏ cấp huyện từ 01/07/2025: " + NQ_1674

BEFORE = date(2025, 6, 30)
AFTER = date(2025, 7, 1)
SEEN_2020 = date(2020, 3, 1)  # first GSO list showing the 2020 arrangement (see NQ_861)

# The 27 units of Huyện Kim Sơn before 2020 (domain-facts §4), with the last day of those that went earlier.
OLD_COMMUNES: tuple[tuple[str, str, date | None, str], ...] = (
    ("Thị trấn Phát Diệm", "14620", None, ""), ("Thị trấn Bình Minh", "14623", None, ""),
    ("Xã Xuân Thiện", "14626", date(2020, 2, 29), NQ_861), ("Xã Hồi Ninh", "14629", None, ""),
    ("Xã Chính Tâm", "14632", date(2020, 2, 29), NQ_861), ("Xã Kim Định", "14635", None, ""),
    ("Xã Ân Hòa", "14638", None, ""), ("Xã Hùng Tiến", "14641", None, ""),
    ("Xã Yên Mật", "14644", date(2020, 2, 29), NQ_861), ("Xã Quang Thiện", "14647", None, ""),
    ("Xã Như Hòa", "14650", None, ""), ("Xã Chất Bình", "14653", None, ""),
    ("Xã Đồng Hướng", "14656", None, ""), ("Xã Kim Chính", "14659", None, ""),
    ("Xã Thượng Kiệm", "14662", None, ""), ("Xã Lưu Phương", "14665", date(2024, 12, 31), NQ_1318),
    ("Xã Tân Thành", "14668", None, ""), ("Xã Yên Lộc", "14671", None, ""),
    ("Xã Lai Thành", "14674", None, ""), ("Xã Định Hóa", "14677", None, ""),
    ("Xã Văn Hải", "14680", None, ""), ("Xã Kim Tân", "14683", None, ""),
    ("Xã Kim Mỹ", "14686", None, ""), ("Xã Cồn Thoi", "14689", None, ""),
    ("Xã Kim Hải", "14692", date(2024, 12, 31), NQ_1318), ("Xã Kim Trung", "14695", None, ""),
    ("Xã Kim Đông", "14698", None, ""),
)
#: The 8 communes formed on 01/07/2025 on Kim Sơn's territory (NQ 1674 items 90–97, codes CV 1027).
NEW_COMMUNES: tuple[tuple[str, str], ...] = (
    ("Xã Chất Bình", "14653"), ("Xã Kim Sơn", "14638"), ("Xã Quang Thiện", "14647"),
    ("Xã Phát Diệm", "14620"), ("Xã Lai Thành", "14674"), ("Xã Định Hóa", "14677"),
    ("Xã Bình Minh", "14623"), ("Xã Kim Đông", "14698"),
)
PROVINCE = "Tỉnh Ninh Bình"
#: The old province's other district-level units (GSO codes; TP Ninh Bình and Huyện Hoa Lư until the
#: 2025-01-01 arrangement, which formed Thành phố Hoa Lư: 8 district-level units before it, 7 after).
HOA_LU_START = date(2025, 1, 1)
NQ_1318_DISTRICTS = ("NQ 1318/NQ-UBTVQH15 ngày 30/11/2024 (hiệu lực 01/01/2025): thành lập thành phố Hoa Lư, tỉnh còn "
                     "7 ĐVHC cấp huyện (thitruong24h.vtv.vn/ninh-binh-thanh-lap-thanh-pho-hoa-lu-thuoc-tinh-ninh-binh, 12/2024)")
OTHER_DISTRICTS: tuple[tuple[str, str, date | None, date], ...] = (
    ("Thành phố Ninh Bình", "369", None, date(2024, 12, 31)), ("Huyện Hoa Lư", "374", None, date(2024, 12, 31)),
    ("Thành phố Hoa Lư", "374", HOA_LU_START, BEFORE), ("Thành phố Tam Điệp", "370", None, BEFORE),
    ("Huyện Nho Quan", "372", None, BEFORE), ("Huyện Gia Viễn", "373", None, BEFORE),
    ("Huyện Yên Khánh", "375", None, BEFORE), ("Huyện Yên Mô", "377", None, BEFORE),
)


#: new commune -> the old units it was formed from (NQ 1674 items 90–97).
FORMED_FROM: dict[str, tuple[str, ...]] = {
    "Xã Chất Bình": ("Xã Xuân Chính", "Xã Hồi Ninh", "Xã Chất Bình"),
    "Xã Kim Sơn": ("Xã Kim Định", "Xã Ân Hòa", "Xã Hùng Tiến"),
    "Xã Quang Thiện": ("Xã Như Hòa", "Xã Đồng Hướng", "Xã Quang Thiện"),
    "Xã Phát Diệm": ("Thị trấn Phát Diệm", "Xã Thượng Kiệm", "Xã Kim Chính"),
    "Xã Lai Thành": ("Xã Yên Lộc", "Xã Tân Thành", "Xã Lai Thành"),
    "Xã Định Hóa": ("Xã Văn Hải", "Xã Kim Tân", "Xã Định Hóa"),
    "Xã Bình Minh": ("Thị trấn Bình Minh", "Xã Cồn Thoi", "Xã Kim Mỹ"),
    "Xã Kim Đông": ("Xã Kim Trung", "Xã Kim Đông"),
}
CROSSWALK_COLUMNS = ("old_name", "old_code", "new_name", "new_code", "effective", "basis", "source", "note")
URL_1674 = "https://github.com/dvhcvn/20250701/blob/main/input/docs/1674_NQ-UBTVQH15.md"
URL_1027 = "https://github.com/dvhcvn/20250701/blob/main/input/docs/1027_CTK-CSCL.md"
URL_34 = "https://vnexpress.net/quoc-hoi-chot-ca-nuoc-con-34-tinh-thanh-pho-4897740.html"


def crosswalk_rows() -> list[dict[str, str]]:
    old_codes = {name: code for name, code, _, _ in OLD_COMMUNES} | {"Xã Xuân Chính": "14632"}
    new_codes = dict(NEW_COMMUNES)
    out = []
    for old in ("Xã Xuân Thiện", "Xã Chính Tâm"):
        out.append({"old_name": old, "old_code": old_codes[old], "new_name": "Xã Xuân Chính", "new_code": "14632",
                    "effective": _day(SEEN_2020), "basis": "NQ 861/NQ-UBTVQH14", "source": GSO_LISTS,
                    "note": "Ngày hiệu lực chưa tìm được: 01/03/2020 là bản danh mục TCTK đầu tiên có xã Xuân Chính"})
    for new, olds in FORMED_FROM.items():
        for old in olds:
            note = "Cùng tên, cùng mã nhưng là đơn vị mới (sáp nhập)" if old == new else ""
            if new == "Xã Kim Đông":
                note = "; ".join(n for n in (note, "Cùng với vùng bãi bồi ven biển do huyện Kim Sơn quản lý") if n)
            out.append({"old_name": old, "old_code": old_codes[old], "new_name": new, "new_code": new_codes[new],
                        "effective": _day(AFTER), "basis": "NQ 1674/NQ-UBTVQH15 ngày 16/6/2025; mã: CV 1027/CTK-CSCL",
                        "source": f"{URL_1674}; {URL_1027}", "note": note})
    for new, code in NEW_COMMUNES:
        out.append({"old_name": "Huyện Kim Sơn", "old_code": "376", "new_name": new, "new_code": code,
                    "effective": _day(AFTER), "basis": "NQ 1674/NQ-UBTVQH15 ngày 16/6/2025 (bỏ cấp huyện)",
                    "source": URL_1674, "note": "Một phần: địa bàn huyện chia cho 8 xã mới"})
    for old, code in ((PROVINCE, "37"), ("Tỉnh Hà Nam", "35"), ("Tỉnh Nam Định", "36")):
        out.append({"old_name": old, "old_code": code, "new_name": PROVINCE, "new_code": "37",
                    "effective": _day(AFTER), "basis": "NQ 202/2025/QH15 ngày 12/6/2025",
                    "source": f"{URL_34}; {URL_1674} (mục 130: 129 ĐVHC cấp xã)",
                    "note": "Hợp nhất ba tỉnh, lấy tên tỉnh Ninh Bình"})
    return out


def _day(d: date | None) -> str:
    return d.isoformat() if d else ""


def rows() -> list[dict[str, str]]:
    cite = package.citation()
    out = [
        {"name": PROVINCE, "code": "37", "level": "province", "parent": "", "valid_from": "", "valid_to": _day(BEFORE),
         "source": f"{GSO_LISTS}; hết hiệu lực: {NQ_202}"},
        {"name": "Tỉnh Hà Nam", "code": "35", "level": "province", "parent": "", "valid_from": "",
         "valid_to": _day(BEFORE), "source": f"{cite}, danh sách 63 tỉnh; hết hiệu lực: {NQ_202}"},
        {"name": "Tỉnh Nam Định", "code": "36", "level": "province", "parent": "", "valid_from": "",
         "valid_to": _day(BEFORE), "source": f"{cite}, danh sách 63 tỉnh; hết hiệu lực: {NQ_202}"},
        {"name": PROVINCE, "code": "37", "level": "province", "parent": "", "valid_from": _day(AFTER), "valid_to": "",
         "source": NQ_202},
        {"name": "Huyện Kim Sơn", "code": "376", "level": "district", "parent": PROVINCE, "valid_from": "",
         "valid_to": _day(BEFORE), "source": f"{GSO_LISTS}; {DISTRICT_END}"},
    ]
    for name, code, start, end in OTHER_DISTRICTS:
        if end < BEFORE:
            source = f"{GSO_LISTS}; hết hiệu lực: {NQ_1318_DISTRICTS}"
        elif start:
            source = f"Thành lập: {NQ_1318_DISTRICTS}; {cite}, danh sách 63 tỉnh; hết hiệu lực: {DISTRICT_END}"
        else:
            source = f"{GSO_LISTS}; {cite}, danh sách 63 tỉnh; hết hiệu lực: {DISTRICT_END}"
        out.append({"name": name, "code": code, "level": "district", "parent": PROVINCE, "valid_from": _day(start),
                    "valid_to": _day(end), "source": source})
    for name, code, end, basis in OLD_COMMUNES:
        out.append({"name": name, "code": code, "level": "commune", "parent": "Huyện Kim Sơn", "valid_from": "",
                    "valid_to": _day(end or BEFORE), "source": basis or f"{GSO_LISTS}; hết hiệu lực: {NQ_1674}"})
    out.append({"name": "Xã Xuân Chính", "code": "14632", "level": "commune", "parent": "Huyện Kim Sơn",
                "valid_from": _day(SEEN_2020), "valid_to": _day(BEFORE),
                "source": f"Thành lập: {NQ_861}; hết hiệu lực: {NQ_1674}"})
    for name, code in NEW_COMMUNES:
        out.append({"name": name, "code": code, "level": "commune", "parent": PROVINCE, "valid_from": _day(AFTER),
                    "valid_to": "", "source": NQ_1674})
    ours = {code for _, code in NEW_COMMUNES}
    others = sorted((u for u in package.units() if u.level == "commune" and u.parent_code == "37"
                     and u.valid_from == package.REORGANISED and u.code not in ours), key=lambda u: u.code)
    for u in others:
        out.append({"name": u.name, "code": u.code, "level": "commune", "parent": PROVINCE,
                    "valid_from": _day(AFTER), "valid_to": "",
                    "source": f"{cite}, danh sách 34 tỉnh (admin_units); {NQ_202}"})
    return out


def check_against_package(out: list[dict[str, str]]) -> list[str]:
    """Where the package disagrees with the facts written above (it knows the 7 district-level units, the 23
    communes of Kim Sơn of the first half of 2025 and all the new communes)."""
    problems = []
    for name, code, _, end in OTHER_DISTRICTS:
        known = package.lookup(name, code, BEFORE, "district")
        if end == BEFORE and (known is None or known.name != name):
            problems.append(f"{name} {code}: the package has {known}")
    for r in out:
        if r["level"] != "commune" or (r["parent"] != PROVINCE and r["valid_to"] != _day(BEFORE)):
            continue
        day = date.fromisoformat(r["valid_from"]) if r["valid_from"] else BEFORE
        known = package.lookup(r["name"], r["code"], day, "commune")
        if known is None or known.name != r["name"]:
            problems.append(f"{r['name']} {r['code']} on {day}: the package has {known}")
    return problems


def _key(name: str) -> str:
    return contract.fold(name).replace(" ", "")


def check_mergers_against_package() -> list[str]:
    """Where the package's own old -> new conversion table disagrees with FORMED_FROM."""
    spec = importlib.util.find_spec(package.PACKAGE)
    assert spec is not None and spec.origin is not None
    table = json.loads((Path(spec.origin).parent / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    theirs = table["DICT_PROVINCE_WARD_NO_DIVIDED"][_key(PROVINCE)]
    problems = []
    for new, olds in FORMED_FROM.items():
        ours = sorted(f"{_key(PROVINCE)}_huyenkimson_{_key(o)}" for o in olds)
        if sorted(theirs.get(_key(new), [])) != ours:
            problems.append(f"{new}: the package forms it from {theirs.get(_key(new))}, we from {ours}")
    return problems


def main() -> int:
    out = rows()
    problems = check_against_package(out) + check_mergers_against_package()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    communes = sum(1 for r in out if r["level"] == "commune" and r["valid_from"] == _day(AFTER))
    AREAS_DIR.mkdir(parents=True, exist_ok=True)
    path = AREAS_DIR / "ninh_binh.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"{path}: {len(out)} units, {communes} communes of the merged province")
    links = crosswalk_rows()
    path = AREAS_DIR.parent / "crosswalk" / "kim_son_2025.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CROSSWALK_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(links)
    print(f"{path}: {len(links)} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
