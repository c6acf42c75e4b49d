¡Gracias por inscribirse!

<#if contact.firstName?has_content>Hola, ${contact.firstName}:<#else>Hola:</#if>

Desde ahora recibirá consejos sobre la salud de la columna de parte de ${program.name}.

Lo que recibirá:
Le enviaremos hasta 4 mensajes al mes. Hablarán de:
- Señales de problemas de la columna que no debe ignorar
- Por qué es importante actuar a tiempo
- Cómo reservar una consulta con un especialista en columna

Usted decide:
Puede cambiar lo que recibe en cualquier momento. Actualice sus preferencias o cancele su suscripción si ya no quiere recibir nuestros correos.
Actualice sus preferencias: ${preferences_url}
Cancele su suscripción: ${unsubscribe_url}

¿Quiere hablar con un especialista ahora?
Puede reservar una consulta en cualquier momento.
Reserve una consulta: ${booking_url}

<#include "/partials/email-footer.ftl">
