import { describe, expect, it } from 'vitest'
import { canUse, FEATURES, featuresFor, may, ROLES } from './features.js'
import { routes } from './router.js'

describe('features by role', () => {
  it('gives everyone the grid tree, the ledgers and the workers, keepers the imports and the boards to reprint, admins the accounts', () => {
    const keys = (role) => featuresFor(role).map((feature) => feature.key)
    const everyone = ['grids', 'ledgers', 'workers']
    const cases = ['cases', 'caseIndicators']
    expect(keys('county_admin')).toEqual([...everyone, 'imports', 'qrCodes', ...cases, 'hotlineCallbacks', 'accounts'])
    expect(keys('town_admin')).toEqual([...everyone, 'imports', 'qrCodes', ...cases, 'hotlineCallbacks', 'accounts'])
    for (const role of ['grid_leader', 'grid_worker']) expect(keys(role)).toEqual([...everyone, 'imports', 'qrCodes', ...cases])
    for (const role of ['dispatcher', 'supervisor', 'viewer']) expect(keys(role)).toEqual([...everyone, ...cases])
    expect(keys('nobody')).toEqual([])
    expect(canUse('viewer', 'accounts')).toBe(false)
  })

  it('lets the roles of functions/chalicelib/domain/roles.py change what they may', () => {
    const who = (ability) => ROLES.filter((role) => may(role, ability))
    expect(who('administerGrids')).toEqual(['county_admin', 'town_admin'])
    expect(who('manageGrids')).toEqual(['county_admin', 'town_admin', 'grid_leader'])
    expect(who('keepLedgers')).toEqual(['county_admin', 'town_admin', 'grid_leader', 'grid_worker'])
    expect(who('exportLedgers')).toEqual(['county_admin', 'town_admin', 'dispatcher', 'grid_leader',
      'grid_worker'])
    expect(who('reportCases')).toEqual(ROLES.filter((role) => role !== 'viewer'))
  })

  it('routes every feature to a lazily loaded screen, for known roles only', () => {
    for (const feature of FEATURES) {
      const route = routes.find((r) => r.name === feature.key)
      expect(route.meta.feature).toBe(feature.key)
      expect(typeof route.component).toBe('function')
      expect(feature.roles.every((role) => ROLES.includes(role))).toBe(true)
      for (const screen of feature.screens || []) {
        const sub = routes.find((r) => r.path === screen.path)
        expect(sub.meta).toEqual({ feature: feature.key, ability: screen.ability })
        expect(typeof sub.component).toBe('function')
      }
    }
  })
})
