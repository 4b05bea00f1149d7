#!/usr/bin/env node
// `npm run lint:engines`: package.json's `engines.node` must be a promise every installed package
// keeps. Each package in package-lock.json that declares `engines.node` must accept every Node
// our range accepts (else `npm ci` warns EBADENGINE on a Node the README promises), and the Node
// running this must be inside our range.
const semver = require('semver');
const project = require('../package.json');
const lock = require('../package-lock.json');

const promised = project.engines?.node;
if (!promised || !semver.validRange(promised)) {
  console.error(`package.json engines.node is missing or not a semver range: ${JSON.stringify(promised)}`);
  process.exit(1);
}

const problems = [];
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  const needs = entry.engines?.node;
  if (!path || !needs) continue;
  // A range npm itself cannot read is ignored by npm too (no warning), so it is skipped here.
  if (!semver.validRange(needs)) continue;
  if (!semver.subset(promised, needs)) {
    problems.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${needs}`);
  }
}
if (!semver.satisfies(process.version, promised)) {
  problems.push(`this Node (${process.version}) is outside engines.node`);
}

if (problems.length) {
  console.error(`engines.node "${promised}" is not kept:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`engines.node "${promised}": every package in package-lock.json accepts it (Node ${process.version}).`);
