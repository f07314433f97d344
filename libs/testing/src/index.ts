export {
  createTestApp,
  type CreateTestAppOptions,
  type TestApp,
  type TestOverride,
} from './create-test-app.js';
export {
  TestClient,
  type Problem,
  type TestClientOptions,
  type TestResponse,
  type TestUser,
} from './test-client.js';
export { createTestDatabase, testServerUrl, type TestDatabase } from './test-database.js';
export {
  defineFactory,
  Factory,
  type FactoryAttributes,
  type FactoryContext,
  type FactoryTarget,
} from './factory.js';
export {
  defineScenario,
  type ScenarioBuilder,
  type ScenarioContext,
  type ScenarioSteps,
  type StepFn,
} from './scenario.js';
export {
  breakingChanges,
  expectNoBreakingChanges,
  fetchApiDocuments,
  writeApiSnapshot,
  type BreakingChange,
  type OpenApiDocument,
} from './contract.js';
export { OpenApiResponseValidator } from './response-validator.js';
