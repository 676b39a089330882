# The deployment's part of the Makefile (included from the top-level Makefile).
INFRA_STAMP := infra/node_modules/.installed

.PHONY: infra-deps

infra-deps: $(INFRA_STAMP)

$(INFRA_STAMP): infra/package.json infra/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are missing: apt-get install nodejs npm"; exit 1; }
	@cd infra && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
