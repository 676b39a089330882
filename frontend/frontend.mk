# The web app's part of the Makefile (included from the top-level Makefile).
FRONTEND_STAMP := frontend/node_modules/.installed
FRONTEND_SOURCES := $(shell find frontend/src frontend/sw frontend/static -type f 2>/dev/null) \
	frontend/index.html frontend/scan.html frontend/vite.config.js

.PHONY: frontend-deps frontend-build frontend-test

frontend-deps: $(FRONTEND_STAMP)

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are missing: apt-get install nodejs npm"; exit 1; }
	@cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend-build: frontend/dist/index.html

frontend/dist/index.html: $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	@cd frontend && npx vite build --logLevel warn && node scripts/size.mjs

frontend-test: $(FRONTEND_STAMP)
	@cd frontend && npx vitest run
