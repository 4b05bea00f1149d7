/**
 * Two projects: `unit` (pure logic and controller specs beside the code) and `e2e` (the real
 * app over HTTP against a real database; TEST_DB=sqlite|mariadb picks which).
 * ts-jest runs the @nestjs/swagger plugin so the OpenAPI document matches the build's.
 */
const tsJest = [
  'ts-jest',
  {
    tsconfig: 'tsconfig.json',
    astTransformers: {
      before: ['<rootDir>/test/support/swagger-plugin-transformer.js'],
    },
    diagnostics: { warnOnly: false },
  },
];
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  transform: {
    '^.+\\.ts$': tsJest,
  },
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@app/common(|/.*)$': '<rootDir>/libs/common/src$1',
    '^@app/auth(|/.*)$': '<rootDir>/libs/auth/src$1',
  },
};
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
