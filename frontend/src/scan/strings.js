// The scan page's words: Chinese first, English for a browser that asks for it.
// A table, not vue-i18n: the page must stay small enough for 2G.
const STRINGS = {
  'zh-CN': {
    title: '网格服务',
    subtitle: '扫码联系网格员 · 反映问题',
    loading: '正在读取…',
    microGrid: '所属微网格',
    worker: '网格员',
    leader: '网格长',
    nobody: '暂未安排',
    call: (phone) => `拨打 ${phone}`,
    reportTitle: '反映问题',
    reportLabel: '请描述您遇到的问题（如地点、情况）',
    usePosition: '附上我的位置',
    locating: '正在定位…',
    located: (metres) => `已附上位置（精度约 ${metres} 米）`,
    noPosition: '无法获取位置，将按二维码所在网格处理',
    send: '提交',
    sending: '正在提交…',
    sent: (reference) => `已收到，编号 ${reference}。网格员将尽快处理。`,
    sendAnother: '再反映一个问题',
    invalidTitle: '此二维码无效',
    invalid: '二维码可能已损坏、被替换或已停用。请联系村（社区）网格员。',
    limited: (seconds) => `提交太频繁，请 ${seconds} 秒后再试`,
    offline: '网络不畅，未能连接。请稍后重试。',
    retry: '重试',
    failed: '未能提交，请稍后重试。',
  },
  en: {
    title: 'Grid service',
    subtitle: 'Call your grid worker · report a problem',
    loading: 'Loading…',
    microGrid: 'Micro-grid',
    worker: 'Grid worker',
    leader: 'Grid leader',
    nobody: 'Not assigned yet',
    call: (phone) => `Call ${phone}`,
    reportTitle: 'Report a problem',
    reportLabel: 'What is the problem? (where, what happened)',
    usePosition: 'Add my position',
    locating: 'Finding your position…',
    located: (metres) => `Position added (accurate to about ${metres} m)`,
    noPosition: 'No position: the report goes to this code\'s grid',
    send: 'Send',
    sending: 'Sending…',
    sent: (reference) => `Received, reference ${reference}. A grid worker will follow it up soon.`,
    sendAnother: 'Report another problem',
    invalidTitle: 'This QR code is not valid',
    invalid: 'The code may be damaged, replaced or withdrawn. Please contact your grid worker.',
    limited: (seconds) => `Too many requests: try again in ${seconds} s`,
    offline: 'No connection. Please try again later.',
    retry: 'Try again',
    failed: 'Could not send. Please try again later.',
  },
}

/** The table for the browser's languages: English only when English comes before Chinese. */
export function stringsFor(languages = []) {
  for (const language of languages) {
    const lower = String(language).toLowerCase()
    if (lower.startsWith('zh')) break
    if (lower.startsWith('en')) return { lang: 'en', text: STRINGS.en }
  }
  return { lang: 'zh-CN', text: STRINGS['zh-CN'] }
}
