import { RATE_LIMIT_DEFAULT, type CreateApiKeyBody } from '@deskflow/shared'
import { KeyRound } from 'lucide-react'
import { CredentialField, SecretWarning } from '@/components/ui/credential-field'
import { CreateFormModal, saveState, type CreateModalProps } from '@/components/ui/form-modal'
import { useCreateApiKey } from '../api/create-api-key'
import { ApiKeyForm, NEW_KEY_VALUES, formError, type ApiKeyFormValues } from './api-key-form'

const FORM_ID = 'create-api-key-form'

/** Access settings left at their defaults are not sent: the server's defaults apply. */
export function createBody({ expiresAt, allowedIps, rateLimitPerMinute, ...rest }: ApiKeyFormValues): CreateApiKeyBody {
  return {
    ...rest,
    ...(expiresAt !== null && { expiresAt }),
    ...(allowedIps.length > 0 && { allowedIps }),
    ...(rateLimitPerMinute !== RATE_LIMIT_DEFAULT && { rateLimitPerMinute }),
  }
}

export function CreateApiKeyModal({ storeKey, open, onOpenChange }: CreateModalProps) {
  const createMutation = useCreateApiKey(storeKey)

  return (
    <CreateFormModal
      open={open}
      onOpenChange={onOpenChange}
      title="Add API key"
      description="Integrations authenticate with the key and its secret (HTTP Basic: key as user name, secret as password)."
      formId={FORM_ID}
      mutation={createMutation}
      createdToast="API key created"
      formError={formError}
      form={(submit) => (
        <ApiKeyForm
          id={FORM_ID}
          initial={NEW_KEY_VALUES}
          onSubmit={(values) => submit(createBody(values))}
          {...saveState(createMutation)}
          note={<p className="note">The key and secret are generated when you save.</p>}
        />
      )}
      created={(created) => ({
        icon: <KeyRound size={18} aria-hidden />,
        heading: 'Copy your credentials now',
        summary: (
          <>
            “{created.description}” is ready{created.activated ? ' and active' : ' but not activated yet'}.
          </>
        ),
        credentials: (
          <>
            <CredentialField label="API Key" value={created.key} copyLabel="Copy API key" what="API key" />
            <CredentialField label="API Secret" value={created.secret} copyLabel="Copy API secret" what="API secret" />
            <SecretWarning />
          </>
        ),
      })}
    />
  )
}
