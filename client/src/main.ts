import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installAutomation } from './automation';
import { i18n } from './i18n';

const pinia = createPinia();
createApp(App).use(pinia).use(i18n).mount('#app');
installAutomation(pinia);
document.documentElement.lang = i18n.global.locale.value;
