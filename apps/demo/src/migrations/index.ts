export const DEMO_MIGRATIONS: Function[] = [];
