// The resident's page for a scanned board or contact card (/q/<token>): its own
// entry, apart from the worker app, so that a phone on 2G loads a few KB.
import { start } from './page.js'
import { tokenOf } from './scan.js'

start({ root: document.getElementById('scan'), token: tokenOf(window.location.pathname),
  geolocation: navigator.geolocation, languages: navigator.languages || [navigator.language] })
