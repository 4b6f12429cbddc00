import 'govuk-frontend/dist/govuk/govuk-frontend.min.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.ts';

// What GOV.UK's inline snippet does; inline scripts are not allowed by the Content-Security-Policy.
document.body.classList.add('js-enabled', 'govuk-frontend-supported');

createApp(App).use(createPinia()).use(router).mount('#app');
