// Replaced by the store work: starts embedded PostgreSQL for the store suite.
export default async function globalSetup(): Promise<void> {}
