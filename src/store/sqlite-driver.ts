// better-sqlite3 and its types, imported in one place by the SQLite dialect and its tests.
import Database from "better-sqlite3";

export { Database };
export type Connection = Database.Database;
export type Statement = Database.Statement;
