import { describe, expect, it } from 'vitest'
import { canUse, FEATURES, featuresFor, ROLES } from './features.js'
import { routes } from './router.js'

describe('features by role', () => {
  it('gives admins the accounts and everyone the grid tree', () => {
    const keys = (role) => featuresFor(role).map((feature) => feature.key)
    expect(keys('county_admin')).toEqual(['grids', 'accounts'])
    expect(keys('town_admin')).toEqual(['grids', 'accounts'])
    for (const role of ['dispatcher', 'supervisor', 'grid_leader', 'grid_worker', 'viewer']) {
      expect(keys(role)).toEqual(['grids'])
    }
    expect(keys('nobody')).toEqual([])
    expect(canUse('viewer', 'accounts')).toBe(false)
  })

  it('routes every feature to a lazily loaded screen, for known roles only', () => {
    for (const feature of FEATURES) {
      const route = routes.find((r) => r.name === feature.key)
      expect(route.meta.feature).toBe(feature.key)
      expect(typeof route.component).toBe('function')
      expect(feature.roles.every((role) => ROLES.includes(role))).toBe(true)
    }
  })
})
