Solo queríamos saber de usted

<#if contact.firstName?has_content>Hola, ${contact.firstName}:<#else>Hola:</#if>

Hace un tiempo le escribimos sobre la salud de la columna. Queríamos darle seguimiento, sin ninguna presión.

El dolor de espalda que no se quita, el dolor que se extiende a los brazos o las piernas y la dificultad para moverse son señales que no debe ignorar. Si alguna vez las nota, un especialista en columna le puede ayudar.

Cuando usted quiera, puede reservar una consulta aquí:
${booking_url}

¿Quiere recibir menos correos o ninguno? Puede cambiar sus preferencias o cancelar su suscripción en cualquier momento.
Cambie sus preferencias: ${preferences_url}
Cancele su suscripción: ${unsubscribe_url}

<#include "/partials/email-footer.ftl">
