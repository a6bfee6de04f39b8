"""Export the store for other systems: JSONL, CSV, XLSX, Parquet.

CSV and XLSX are flattened for spreadsheet users: a forms table, an indicators
table and a funds table (and the review items), joined by record_id, each
column headed by its field name with the Chinese printed label beside it.
Parquet keeps types: decimals stay decimals, years stay integers.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Float, Integer, Table

from extract.ingest.store import Store, forms, funds, indicators, review

FORMATS = ("jsonl", "csv", "xlsx", "parquet")
TABLES = {"forms": forms, "indicators": indicators, "funds": funds, "review": review}

LABELS = {
    "record_id": "记录编号",
    "sha256": "文件哈希",
    "form_index": "表序号",
    "form_type": "表类型",
    "year": "年度",
    "project_name": "项目名称",
    "department": "主管部门",
    "implementing_unit": "实施单位",
    "project_nature": "项目性质",
    "project_category": "项目类别",
    "planned_start": "计划开始日期",
    "planned_end": "计划完成日期",
    "funds_unit": "资金单位",
    "goal": "年度总体目标",
    "outcome": "实际完成情况",
    "total_weight": "总分(分值)",
    "total_score": "总分(得分)",
    "grade": "评分等级",
    "pages": "页码",
    "review_count": "待核字段数",
    "line": "资金项",
    "amount": "金额",
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "execution_rate": "执行率(%)",
    "score": "得分",
    "row": "行号",
    "level1": "一级指标",
    "level2": "二级指标",
    "name_raw": "三级指标(原文)",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "note": "偏差原因分析及改进措施",
    "field": "字段",
    "reason": "原因",
    "confidence": "置信度",
    "page": "页",
    "variant": "表式",
    "reporting_unit": "填报单位",
    "project_attribute": "项目属性",
    "long_term_goal": "项目总目标",
    "conclusion": "评价结论",
    "problems": "存在问题",
    "measures": "改进措施",
    "adjusted_budget": "调整后预算数",
    "nature": "指标性质",
    "unit": "度量单位",
    "table": "指标表",
    "level1_weight": "一级指标分值",
    "x0": "左",
    "y0": "上",
    "x1": "右",
    "y1": "下",
}
DECIMAL_COLUMNS = {
    "adjusted_budget",
    "level1_weight",
    "total_weight",
    "total_score",
    "amount",
    "initial_budget",
    "annual_budget",
    "executed",
    "weight",
    "execution_rate",
    "score",
}
LEAVE_OUT = {"record_json"}  # the exact record lives in the JSONL export


def header(column: str) -> str:
    """'project_name 项目名称': the field name first, so tools can split it off."""
    label = LABELS.get(column)
    return f"{column} {label}" if label else column


def column_of(heading: str) -> str:
    return heading.split(" ", 1)[0]


def _tables(store: Store, with_review: bool) -> dict[str, list[dict]]:
    out = {}
    for name, table in (("forms", forms), ("indicators", indicators), ("funds", funds)):
        rows = [{k: v for k, v in row.items() if k not in LEAVE_OUT} for row in store.rows(table)]
        if not with_review and name == "forms":
            for row in rows:
                row.pop("review_count", None)
        out[name] = rows
    if with_review:
        out["review"] = store.rows(review)
    return out


def _columns(table_name: str, with_review: bool) -> list[str]:
    table = TABLES[table_name]
    cols = [c.name for c in table.columns if c.name not in LEAVE_OUT]
    if not with_review and table_name == "forms":
        cols.remove("review_count")
    return cols


def export(store: Store, fmt: str, out: Path, with_review: bool = True) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        path = out / "records.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for record in store.records():
                if not with_review:
                    record = record.model_copy(update={"review": [], "confidence": {}})
                handle.write(record.model_dump_json() + "\n")
        return [path]
    tables = _tables(store, with_review)
    if fmt == "csv":
        return [_write_csv(out / f"{name}.csv", _columns(name, with_review), rows) for name, rows in tables.items()]
    if fmt == "xlsx":
        return [_write_xlsx(out / "filings.xlsx", {n: (_columns(n, with_review), r) for n, r in tables.items()})]
    if fmt == "parquet":
        return [
            _write_parquet(out / f"{name}.parquet", TABLES[name], _columns(name, with_review), rows)
            for name, rows in tables.items()
        ]
    raise ValueError(f"unknown format {fmt}; choose one of {', '.join(FORMATS)}")


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> Path:
    # UTF-8 with a BOM: Excel then opens the Chinese text correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header(c) for c in columns])
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return path


def _write_xlsx(path: Path, sheets: dict[str, tuple[list[str], list[dict]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([header(c) for c in columns])
        for row in rows:
            values = []
            for c in columns:
                value = row.get(c)
                # Amounts as numbers a spreadsheet can sum; the exact text is in the JSONL.
                values.append(float(value) if c in DECIMAL_COLUMNS and value is not None else value)
            sheet.append(values)
        sheet.freeze_panes = "A2"
    book.save(path)
    return path


def _write_parquet(path: Path, table: Table, columns: list[str], rows: list[dict]) -> Path:
    """Typed as the store's columns are: decimals stay decimals, integers and floats stay numbers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    arrays = []
    for c in columns:
        values = [row.get(c) for row in rows]
        column_type = table.columns[c].type
        if c in DECIMAL_COLUMNS:
            values = [None if v is None else Decimal(v) for v in values]
            kind = pa.decimal128(20, 4)
        elif isinstance(column_type, Integer):
            kind = pa.int32()
        elif isinstance(column_type, Float):
            kind = pa.float64()
        else:
            kind = pa.string()
        fields.append(pa.field(c, kind, metadata={"label": LABELS.get(c, "")}))
        arrays.append(pa.array(values, type=kind))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)
    return path
