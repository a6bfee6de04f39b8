"""The exported tables' columns: names, Chinese labels and types, one source for every format.

The columns are the store's (`tables.py`), which follow the contract; their
types are the contract's: decimals, integers, floats, booleans and text.
From here come the Parquet schema, the CSV/XLSX headers, the PostgreSQL
tables an importer makes (`filing-extract schema --sql`) and the column
reference in docs/exports.md (`filing-extract schema --columns`).
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Boolean, Float, Integer, Table
from sqlalchemy.dialects import postgresql

from extract.ingest.tables import forms, funds, indicators, review

TABLES: dict[str, Table] = {"forms": forms, "indicators": indicators, "funds": funds, "review": review}
Kind = Literal["decimal", "int", "float", "bool", "string"]

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
    "revision": "修订版本",
    "updated_at": "更新时间",
    "deleted": "已删除",
    "status": "核定状态",
    "decided_by": "核定人",
    "decided_at": "核定时间",
    "extracted": "原提取值",
    "sample": "抽检",
    "version": "版本",
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
LEAVE_OUT = {"record_json"}  # the exact record is the JSONL export
DECIMAL = (38, 8)  # precision, scale of exported decimals (Parquet decimal128, PostgreSQL numeric)
PARQUET_TYPES = {
    "decimal": f"decimal128({DECIMAL[0]}, {DECIMAL[1]})",
    "int": "int32",
    "float": "double",
    "bool": "bool",
    "string": "string",
}
POSTGRES_TYPES = {
    "decimal": "numeric",
    "int": "integer",
    "float": "double precision",
    "bool": "boolean",
    "string": "text",
}
CSV_FORMS = {
    "decimal": "number as stored, e.g. 180000.00",
    "int": "whole number",
    "float": "number",
    "bool": "true / false",
    "string": "text (escaped, see above)",
}
DESCRIPTIONS = {
    "forms": "one row a record (a form); `deleted` rows are tombstones",
    "indicators": "one row an indicator row of a record, `row` from 0 in printed order",
    "funds": "one row a funds line of a record; a declaration's single amount is `amount`",
    "review": "one row a review item of a record (flags, decisions, QA samples)",
}


def header(column: str) -> str:
    """'project_name 项目名称': the field name first, so tools can split it off."""
    label = LABELS.get(column)
    return f"{column} {label}" if label else column


def column_of(heading: str) -> str:
    return heading.split(" ", 1)[0]


def kind_of(table: Table, column: str) -> Kind:
    if column == "deleted":
        return "bool"
    if column in DECIMAL_COLUMNS:
        return "decimal"
    column_type = table.columns[column].type
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, Float):
        return "float"
    return "string"


def columns(table_name: str, with_review: bool = True) -> list[tuple[str, Kind]]:
    """The exported columns of a table, in order, with their kinds."""
    table = TABLES[table_name]
    names = [c.name for c in table.columns if c.name not in LEAVE_OUT]
    if table_name == "forms":
        names.append("deleted")
        if not with_review:
            names.remove("review_count")
    return [(name, kind_of(table, name)) for name in names]


def table_names(with_review: bool = True) -> list[str]:
    return [name for name in TABLES if with_review or name != "review"]


def postgres_ddl() -> str:
    """CREATE TABLE statements for the exported tables, columns in the CSV's order."""
    quote = postgresql.dialect().identifier_preparer.quote  # "table" is a reserved word
    out = []
    for name in table_names():
        keys = [quote(c.name) for c in TABLES[name].primary_key.columns]
        lines = [f"    {quote(col)} {POSTGRES_TYPES[kind]}" for col, kind in columns(name)]
        lines.append(f"    PRIMARY KEY ({', '.join(keys)})")
        out.append(f"CREATE TABLE IF NOT EXISTS {name} (\n" + ",\n".join(lines) + "\n);\n")
    return "\n".join(out)


def columns_markdown() -> str:
    """The column reference of docs/exports.md."""
    out = []
    for name in table_names():
        out.append(f"### `{name}`: {DESCRIPTIONS[name]}\n")
        out.append("| column | label | Parquet | PostgreSQL | CSV |")
        out.append("|---|---|---|---|---|")
        for col, kind in columns(name):
            types = f"{PARQUET_TYPES[kind]} | {POSTGRES_TYPES[kind]} | {CSV_FORMS[kind]}"
            out.append(f"| `{col}` | {LABELS.get(col, '')} | {types} |")
        out.append("")
    return "\n".join(out)
