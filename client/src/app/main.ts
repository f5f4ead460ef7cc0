import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installAutomation } from './automation';
import { installBimAutomation } from '../features/bim/bimAutomation';
import { i18n } from './i18n';

const pinia = createPinia();
// Two light pages share the bundle: the inspector's phone page and the public report page; every
// other path is the twin (the server answers unknown paths with index.html).
const page = location.pathname.replace(/\/+$/, '');
if (page === '/inspector' || page === '/report') {
  const load = page === '/inspector' ? import('../features/cases/InspectorApp.vue') : import('../features/cases/CitizenApp.vue');
  void load.then(({ default: Page }) => createApp(Page).use(pinia).use(i18n).mount('#app'));
} else {
  createApp(App).use(pinia).use(i18n).mount('#app');
  installAutomation(pinia);
  installBimAutomation(pinia);
}
document.documentElement.lang = i18n.global.locale.value;
