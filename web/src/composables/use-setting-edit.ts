import { reactive, ref, type Ref } from 'vue';
import { ElMessage } from 'element-plus';
import { errorMessage } from '@/api/client';
import { flattenParams, unflattenParams, type ParamField } from '@/utils/params';

export interface SettingChange {
  params: Record<string, unknown>;
  enabled: boolean;
  reason: string;
}

/**
 * Changing a rule's or a review check's settings (both versioned in rule_settings): the form
 * (the parameters as flat fields, the switch, the reason staff must give) and its save.
 * `submit` sends the change; `afterSave` runs once the dialog has closed (a reload).
 */
export function useSettingEdit<T extends { params: unknown; enabled: boolean }>(opts: {
  submit: (item: T, change: SettingChange) => Promise<unknown>;
  saved: string;
  afterSave?: () => Promise<unknown>;
}) {
  const editing = ref(null) as Ref<T | null>;
  const form = reactive<{ fields: ParamField[]; enabled: boolean; reason: string }>({ fields: [], enabled: true, reason: '' });
  const saving = ref(false);
  function edit(item: T) {
    editing.value = item;
    form.fields = flattenParams(item.params as Record<string, unknown>);
    form.enabled = item.enabled;
    form.reason = '';
  }
  async function save() {
    if (!form.reason.trim()) return ElMessage.warning('请填写调整理由');
    saving.value = true;
    try {
      await opts.submit(editing.value!, { params: unflattenParams(form.fields), enabled: form.enabled, reason: form.reason.trim() });
      ElMessage.success(opts.saved);
      editing.value = null;
      await opts.afterSave?.();
    } catch (e) {
      ElMessage.error(errorMessage(e));
    } finally {
      saving.value = false;
    }
  }
  return { editing, form, saving, edit, save };
}
