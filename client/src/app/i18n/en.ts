/** English UI strings. Keys mirror zh-CN.ts; the type check keeps the two in step. */
export default {
  app: {
    title: 'City Operations Twin',
    loading: 'Loading the twin…',
    loadFailed: 'The twin could not be loaded: {message}',
  },
  panels: {
    layers: 'Layers',
    tools: 'Tools',
    alarms: 'Alarms',
  },
  connection: {
    connecting: 'Connecting',
    live: 'Live',
    reconnecting: 'Reconnecting',
  },
  stats: {
    buildings: 'Buildings',
    poles: 'Lamp poles',
    terminals: 'Terminals',
    reporting: 'Reporting',
    offline: 'Offline',
    fault: 'Fault',
    alarms: 'Open alarms',
  },
  yes: 'yes',
  no: 'no',
  units: {
    m2: '{value} m²',
    m: '{value} m',
  },
  language: 'Language',
  urlErrors: 'Ignored URL parameters',
};
