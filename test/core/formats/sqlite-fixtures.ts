import initSqlJs from 'sql.js';

/** A SQLite database file made by running these statements in a fresh in-memory database. */
export async function sqliteFile(
  statements: readonly string[],
  parameters: readonly (readonly unknown[])[] = [],
): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const database = new SQL.Database();
  try {
    for (const [index, statement] of statements.entries()) {
      database.run(statement, (parameters[index] ?? []) as initSqlJs.BindParams);
    }
    return database.export();
  } finally {
    database.close();
  }
}
