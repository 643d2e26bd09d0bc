// Vitest globalSetup: one throwaway PostgreSQL cluster for the whole run, shared through POSTGRES_URL.
import { postgresAvailable, serverUrlOf, startCluster } from "./postgres.js";

/**
 * Each test file then takes a database of its own in this cluster (startPostgres), which costs a
 * CREATE DATABASE instead of an initdb. An externally provided POSTGRES_URL is used as is; without
 * one and without the binaries nothing starts, and the PostgreSQL suites start their own or skip.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.POSTGRES_URL || !postgresAvailable()) return undefined;
  const cluster = await startCluster();
  // Workers are forked after globalSetup, so they inherit the variable.
  process.env.POSTGRES_URL = serverUrlOf(cluster.port);
  return async () => {
    delete process.env.POSTGRES_URL;
    await cluster.stop();
  };
}
