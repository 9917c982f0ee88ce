const { rmSync } = require('node:fs');
const { dirname } = require('node:path');

/** Removes the embedded template that global-setup.js made. */
module.exports = async () => {
  if (process.env.EMBEDDED_TEST_TEMPLATE) rmSync(dirname(process.env.EMBEDDED_TEST_TEMPLATE), { recursive: true, force: true });
};
