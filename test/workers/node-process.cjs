// require('node:process') inside workerd tests: the pool's module fallback has no such module, but nodejs_compat provides the global.
module.exports = globalThis.process;
