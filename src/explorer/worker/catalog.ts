import { quoteIdentifier, selectAll, type Database } from '../../core/hubdb';
import { columnTreatment, type ColumnTreatment } from '../../core/secrets';
import type { ColumnInfo, IndexInfo, TableInfo } from '../../protocol/explorerProtocol';
import { messageOfSql } from './sqlText';

/**
 * Tables and views with their columns, indexes and row counts, and how each column is shown (secret
 * columns per src/core/secrets; every other text has the secrets inside it hidden). A part that fails
 * (a view over a missing table, a damaged page) is reported on that table, and the others still show.
 */
export function readCatalog(db: Database): TableInfo[] {
  const objects = selectAll(
    db,
    "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
  );
  return objects.map(([rawName, rawType]) => {
    const name = String(rawName);
    const kind = rawType === 'view' ? 'view' : 'table';
    const table: TableInfo = { name, kind, rowCount: null, columns: [], indexes: [] };
    const problems: string[] = [];
    try {
      table.columns = selectAll(db, `PRAGMA table_info(${quoteIdentifier(name)})`).map((row): ColumnInfo => ({
        name: String(row[1]),
        type: String(row[2] ?? ''),
        notNull: row[3] === 1,
        primaryKey: Number(row[5]) > 0,
        defaultValue: row[4] === null ? null : String(row[4]),
        treatment: shownAs(columnTreatment(kind === 'table' ? name : null, String(row[1]))),
      }));
      if (kind === 'table') table.indexes = readIndexes(db, name);
    } catch (error) {
      problems.push(`Cannot read its schema: ${messageOfSql(error)}`);
    }
    try {
      table.rowCount = Number(selectAll(db, `SELECT count(*) FROM ${quoteIdentifier(name)}`)[0]![0]);
    } catch (error) {
      problems.push(`Cannot count its rows: ${messageOfSql(error)}`);
    }
    if (problems.length) table.problem = problems.join(' ');
    return table;
  });
}

function readIndexes(db: Database, table: string): IndexInfo[] {
  return selectAll(db, `PRAGMA index_list(${quoteIdentifier(table)})`).map((row) => ({
    name: String(row[1]),
    unique: row[2] === 1,
    columns: selectAll(db, `PRAGMA index_info(${quoteIdentifier(String(row[1]))})`).map((c) =>
      // An expression index has no column name.
      c[2] === null ? '(expression)' : String(c[2]),
    ),
  }));
}

/** The page's label: whole secrets, JSON with secrets inside hidden, or (every other column) as is. */
function shownAs(treatment: ColumnTreatment): ColumnInfo['treatment'] {
  return treatment === 'scan' ? 'keep' : treatment;
}
