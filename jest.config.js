/**
 * Jest runs TypeScript through SWC (decorator metadata on, as Nest needs it).
 * Two projects: `unit` (specs beside the code) and `integration` (test/, against
 * real servers: a MongoDB-wire server provisioned by test/setup/global-setup.ts).
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@trellis/orchestration$': '<rootDir>/libs/orchestration/src',
    '^@trellis/orchestration/(.*)$': '<rootDir>/libs/orchestration/src/$1',
  },
};

/**
 * Whether this machine lets the tests make network namespaces (root and `ip netns`): the
 * network-partition fault scenario needs them and is left out elsewhere (the integration setup
 * says so). The same check as test/fixtures/network-hosts.ts.
 */
function canMakeNetworkHosts() {
  if (process.getuid?.() !== 0) return false;
  try {
    require('node:child_process').execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,src}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: canMakeNetworkHosts()
        ? ['/node_modules/']
        : ['/node_modules/', '<rootDir>/test/faults/network-partition'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
