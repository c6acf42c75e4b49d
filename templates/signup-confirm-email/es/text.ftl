Confirme su inscripción

<#if contact.firstName?has_content>Hola, ${contact.firstName}:<#else>Hola:</#if>

Alguien pidió recibir consejos sobre la salud de la columna de ${program.name} en este correo. ¡Esperamos que haya sido usted!

Abra este enlace para decir que sí. Le enviaremos hasta 4 correos al mes.
Sí, quiero inscribirme: ${confirm_url}

¿No lo pidió? No tiene que hacer nada: si no confirma, la inscripción no se completa.

<#include "/partials/email-footer.ftl">
