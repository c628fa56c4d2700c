// @ts-check
// Test entry loaded by the extension host: runs the mocha tests and ends with a plain
// "N passed, N failed" line, which CI can read (mocha's summary is not one line).
const Mocha = require('mocha');
const path = require('node:path');

exports.run = () => {
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false });
  mocha.addFile(path.join(__dirname, 'sample.test.js'));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, failures: failed = 0 } = runner.stats ?? {};
      console.log(`${passes} passed, ${failed} failed`);
      failures ? reject(new Error(`${failures} tests failed`)) : resolve(undefined);
    });
  });
};
