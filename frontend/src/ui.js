// Vant, imported component by component, with only the stylesheets they need.
// A screen that needs another Vant component imports it (and its index.css)
// itself, so it lands in that screen's lazy chunk, not in the first download.
//
// Vant's icon font (vant/es/icon/index.css, 26 KB gzipped) is left out of the
// first download on purpose: loadIconFont() fetches it once the first screen
// is up, and the service worker keeps it. Every icon in this app sits beside a
// text label, so nothing is lost while it loads.
import 'vant/es/style/base.css'
import 'vant/es/badge/index.css'
import 'vant/es/loading/index.css'
import 'vant/es/button/index.css'
import 'vant/es/cell/index.css'
import 'vant/es/cell-group/index.css'
import 'vant/es/field/index.css'
import 'vant/es/nav-bar/index.css'
import 'vant/es/tabbar/index.css'
import 'vant/es/tabbar-item/index.css'
import 'vant/es/empty/index.css'
import 'vant/es/tag/index.css'
import 'vant/es/overlay/index.css'
import 'vant/es/popup/index.css'
import 'vant/es/toast/index.css'
import 'vant/es/action-bar/index.css'
import 'vant/es/action-bar-button/index.css'
import 'vant/es/dialog/index.css'

import { showConfirmDialog } from 'vant'

export {
  Button, Cell, CellGroup, Field, Form, NavBar, Tabbar, TabbarItem, Empty, Loading, Tag, Icon,
  showToast,
} from 'vant'

export const loadIconFont = () => import('vant/es/icon/index.css')

/** Whether the user confirmed `message` (Vant's dialog rejects on cancel). */
export async function confirmed(message) {
  try {
    await showConfirmDialog({ message })
    return true
  } catch {
    return false
  }
}
