/** Stops the embedded PostgreSQL started by global-setup.ts (its data dir is deleted: `persistent: false`). */
export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__heraldPostgres;
  globalThis.__heraldPostgres = undefined;
  await server?.stop();
}
