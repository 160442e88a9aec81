/** AZURE-FN-1 (CKV_AZURE_221, CKV_AZURE_70): function apps have public network access off and HTTPS only. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const FUNCTION_APP_PRIVATE: Rule = {
  id: 'AZURE-FN-1',
  title: 'Function apps have public network access off and accept HTTPS only',
  why: 'The updater has no HTTP trigger: an endpoint reachable from the internet is attack surface it does not need, and plain HTTP would expose whatever it served.',
  fix: 'Set public_network_access_enabled = false and https_only = true; trigger the updater by timer and queue.',
  publicIds: ['CKV_AZURE_221', 'CKV_AZURE_70'],
  appliesTo: ['azurerm_function_app_flex_consumption', 'azurerm_linux_function_app'],
  check: (app) =>
    fromFindings([
      ...requireBoolean(app.body, 'public_network_access_enabled', false, true, 'the app\'s endpoint is reachable from the internet'),
      ...requireBoolean(app.body, 'https_only', true, false, 'plain HTTP is accepted'),
    ]),
};
