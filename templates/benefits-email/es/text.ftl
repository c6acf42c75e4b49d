Cómo puede ayudar atender la columna a tiempo

<#if contact.firstName?has_content>Hola, ${contact.firstName}:<#else>Hola:</#if>

Buscar ayuda pronto para los problemas de la columna puede hacer una gran diferencia. Esto es lo que puede ofrecer la atención a tiempo.

Lo que puede lograr la atención a tiempo:
Recibir atención a tiempo puede:
- Bajar el riesgo de tener dolor por mucho tiempo
- Llevar a mejores resultados
- Ayudar a ahorrar en gastos médicos con el tiempo

Las personas que reciben atención más pronto a menudo vuelven antes a sus actividades diarias. Esperar demasiado puede llevar a tratamientos más grandes, a una recuperación más larga y a más gastos.

Cirugía menos invasiva:
Para algunos problemas de la columna, un especialista puede sugerir una cirugía de columna mínimamente invasiva. Puede ofrecer:
- Menos dolor
- Una recuperación más rápida
- Una estancia más corta en el hospital

Un especialista le puede decir si es una buena opción para usted.

Estudios que ayudan a encontrar la causa:
Estudios como la resonancia magnética (MRI) y la tomografía (CT) permiten ver la columna de cerca. Así el médico puede encontrar la causa exacta y planear el tratamiento adecuado.

Hable con confianza con un especialista:
Cuéntele al especialista todos sus síntomas. Pregunte por cada opción y por sus beneficios y riesgos. Hablar con confianza le puede ayudar a tomar la decisión correcta para usted.

Reserve una consulta: ${booking_url}

<#include "/partials/email-footer.ftl">
