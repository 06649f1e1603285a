'use strict';
// The addon built by node-gyp at install (`npm ci`).
module.exports = require('./build/Release/posix_spawn.node');
