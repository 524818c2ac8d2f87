// Cypress is not installed here (its binary can't be downloaded); argus-lsp only parses the spec.
const { defineConfig } = require('cypress');

module.exports = defineConfig({
  e2e: {
    baseUrl: 'http://127.0.0.1:4173',
    specPattern: 'cypress/e2e/**/*.cy.js',
    supportFile: false,
    defaultCommandTimeout: 2000,
    video: false,
  },
});
