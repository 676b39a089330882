// The scan page drawn in plain DOM (no framework: the whole page stays a few KB).
// Every text from the API goes in as text, never as markup.
import { locate, newKey, readBoard, sendReport } from './scan.js'
import { stringsFor } from './strings.js'

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value)
    else if (value === true) element.setAttribute(name, '')
    else if (value !== false && value != null) element.setAttribute(name, value)
  }
  element.append(...children.filter((child) => child != null && child !== false))
  return element
}

/** Draws the page for the code `token` into `root`; the browser's parts are passed in. */
export function start({ root, token, fetchImpl = fetch, geolocation, languages = [] }) {
  const { lang, text } = stringsFor(languages)
  document.documentElement.lang = lang
  document.title = `${text.title} · ${lang === 'en' ? 'Scan' : '扫码'}`
  for (const [id, words] of [['scan-title', text.title], ['scan-subtitle', text.subtitle]]) {
    const element = document.getElementById(id)
    if (element) element.textContent = words
  }

  const show = (...sections) => root.replaceChildren(...sections)
  const section = (test, ...children) => h('section', { 'data-test': test }, ...children)

  function notice(result, again) {
    if (result.state === 'invalid') {
      return section('scan-invalid', h('h2', {}, text.invalidTitle), h('p', { class: 'muted' }, text.invalid))
    }
    return section('scan-notice', problemWith(result),
      again && h('button', { type: 'button', onclick: again }, text.retry))
  }

  function problemWith(result) {
    const words = result.state === 'limited' ? text.limited(result.seconds)
      : result.state === 'offline' ? text.offline : text.failed
    return h('p', { class: 'alert', role: 'alert', 'data-test': `scan-${result.state}` }, words)
  }

  function person(label, who, test) {
    const items = [h('dt', {}, label)]
    if (!who) return [...items, h('dd', {}, text.nobody)]
    items.push(h('dd', { 'data-test': `${test}-name` }, who.name))
    if (who.phone) {
      items.push(h('dd', {}, h('a', { class: 'call', href: `tel:${who.phone.replace(/[^\d+]/g, '')}`,
        'data-test': `${test}-phone` }, text.call(who.phone))))
    }
    return items
  }

  function boardSection(board) {
    return section('scan-board', h('dl', {},
      h('dt', {}, text.microGrid), h('dd', { 'data-test': 'scan-micro-grid' }, board.micro_grid),
      ...person(text.worker, board.worker, 'scan-worker'),
      ...person(text.leader, board.grid_leader, 'scan-leader')))
  }

  function reportForm(board) {
    let position = null
    // A retry of the same report keeps its key (the first try may have landed); an edited one is new.
    let attempt = null
    const problem = h('textarea', { id: 'problem', name: 'text', required: true, maxlength: '2000',
      'data-test': 'scan-text' })
    const positionNote = h('p', { class: 'muted', 'data-test': 'scan-position' })
    const wantPosition = h('input', { type: 'checkbox', id: 'use-position', 'data-test': 'scan-use-position',
      onchange: async () => {
        position = null
        positionNote.textContent = ''
        if (!wantPosition.checked) return
        positionNote.textContent = text.locating
        const found = await locate(geolocation)
        if (!wantPosition.checked) return
        position = found
        positionNote.textContent = found ? text.located(found.accuracy_m) : text.noPosition
      } })
    const status = h('div')
    const submit = h('button', { type: 'submit', 'data-test': 'scan-send' }, text.send)
    const form = h('form', { 'data-test': 'scan-report', novalidate: true, onsubmit: async (event) => {
      event.preventDefault()
      if (!problem.value.trim()) {
        problem.focus()
        return
      }
      submit.disabled = true
      submit.textContent = text.sending
      status.replaceChildren()
      const sending = JSON.stringify([problem.value.trim(), position])
      if (attempt?.sending !== sending) attempt = { sending, key: newKey() }
      const result = await sendReport(token, problem.value, position, fetchImpl, attempt.key)
      submit.disabled = false
      submit.textContent = text.send
      if (result.state === 'sent') {
        show(boardSection(board), section('scan-sent', h('p', { class: 'done', role: 'status' }, text.sent(result.answer.reference)),
          h('button', { type: 'button', onclick: () => show(boardSection(board), reportForm(board)) },
            text.sendAnother)))
      } else if (result.state === 'invalid') {
        show(notice(result))
      } else {
        status.replaceChildren(problemWith(result))
      }
    } },
    h('h2', {}, text.reportTitle),
    h('label', { for: 'problem' }, text.reportLabel), problem,
    h('label', { class: 'check', for: 'use-position' }, wantPosition, text.usePosition), positionNote,
    status, submit)
    return section('scan-form', form)
  }

  async function load() {
    show(section('scan-loading', h('p', { class: 'muted' }, text.loading)))
    const result = await readBoard(token, fetchImpl)
    if (result.state === 'board') show(boardSection(result.board), reportForm(result.board))
    else show(notice(result, result.state === 'invalid' ? null : load))
  }
  return load()
}
