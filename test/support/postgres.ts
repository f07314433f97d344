// The repository's tests make their throw-away databases with the testing kit's helper (one
// implementation): `kwik_test_<prefix>_<random>` on KWIK_TEST_POSTGRES_URL (default the local server).
export { createTestDatabase, type TestDatabase } from '@kwik/testing';
